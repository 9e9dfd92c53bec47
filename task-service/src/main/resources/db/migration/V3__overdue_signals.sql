-- What the overdue watch has already announced: one row per task, kind, due date and ladder level, so that
-- restarts and several instances never announce twice, and a new due date (an extension) starts afresh.
create table task_signal (
    task_id    uuid        not null references task (id),
    kind       text        not null check (kind in ('DUE_SOON', 'OVERDUE', 'ESCALATED')),
    due_date   date        not null,
    level      int         not null default 0,
    created_at timestamptz not null,
    primary key (task_id, kind, due_date, level)
);
