-- Change stamps without a global lock. Each change to a task, and each departure from someone's list, records the id
-- of the transaction that made it; a reader asks for the changes whose transaction had not committed at its previous
-- look (a PostgreSQL snapshot) and has at this one (ChangeWindow). change_seq stays: it orders one sync answer's pages.
-- Rows written before this migration get the migration's own transaction id (all of them already seen or not, alike).
alter table task add column change_xid bigint not null default cast(cast(pg_current_xact_id() as text) as bigint);
drop index task_change;
create index task_change_mine on task (assignee_id, change_xid);
create index task_change_xid on task (change_xid);

alter table task_departure add column change_xid bigint not null default cast(cast(pg_current_xact_id() as text) as bigint);
drop index task_departure_seq;
create index task_departure_xid on task_departure (person_id, change_xid);
