-- Working groups (briefings name them and list those with no task as zeros) and people (a town secretary who
-- scores may not score their own town), both from directory-events.
create table known_group (
    id         uuid primary key,
    code       text        not null,
    name       text        not null,
    updated_at timestamptz not null
);
create table known_person (
    id             uuid primary key,
    display_name   text        not null,
    town_id        uuid,
    town_secretary boolean     not null,
    updated_at     timestamptz not null
);

-- The score sheet has its own version: its ETag and If-Match, like the meeting's.
alter table meeting add column sheet_version bigint not null default 0;

-- A statement made again keeps what was said before.
create table statement_revision (
    id             bigserial primary key,
    statement_id   uuid        not null references statement (id),
    text           text        not null,
    statement_date date        not null,
    recorded_by    uuid        not null,
    recorded_at    timestamptz not null
);
create index statement_revision_statement on statement_revision (statement_id);

-- How a computed value was reached where it is a stated one (no task due in the period), frozen with the ranking.
alter table ranking_entry add column notes text;

-- A look-back checks earlier findings of the same task; briefings read tasks due in their window.
create index finding_task on finding (task_id);
create index task_progress_group_due on task_progress (group_id, due_date);
