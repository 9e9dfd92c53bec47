-- review-service's own projection of task-events, for meeting briefings (never a call to task-service).
create table task_progress (
    task_id    uuid primary key,
    title      text        not null,
    star       text,
    group_id   uuid        not null,
    town_id    uuid,
    village_id uuid,
    due_date   date        not null,
    status     text        not null,
    meeting_id uuid,
    updated_at timestamptz not null
);
