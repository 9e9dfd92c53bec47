create table working_group (
    id      uuid primary key,
    name    text not null unique,
    star    text,
    lead_id uuid
);

create table person (
    id           uuid primary key,
    username     text not null unique,
    display_name text not null,
    roles        text not null,
    group_id     uuid references working_group (id),
    town_id      uuid
);

create table task (
    id          uuid primary key,
    title       text        not null,
    group_id    uuid        not null references working_group (id),
    assignee_id uuid references person (id),
    due_date    date        not null,
    status      text        not null,
    version     bigint      not null default 0,
    created_at  timestamptz not null,
    created_by  uuid        not null
);
create index task_group on task (group_id);
create index task_assignee on task (assignee_id);
