-- A large dispatch is a job: the POST records it PENDING with its request (202), a worker creates its tasks in one
-- transaction (all of them or none: a crash rolls the job back and it runs again) and marks it DONE, or FAILED with
-- problem details when the request can no longer be carried out. The progress of a running job is written in its own
-- small transactions to dispatch_progress (no foreign key: the job holds its dispatch row until it commits).
alter table dispatch add column status text not null default 'DONE' check (status in ('PENDING', 'DONE', 'FAILED'));
alter table dispatch add column total int;
alter table dispatch add column request text;
alter table dispatch add column problem text;
alter table dispatch add column finished_at timestamptz;
create index dispatch_pending on dispatch (created_at) where status = 'PENDING';

create table dispatch_progress (
    dispatch_id uuid        primary key,
    created     int         not null,
    total       int         not null,
    updated_at  timestamptz not null
);
