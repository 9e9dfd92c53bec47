-- Towns (the ranked units), from directory-events.
create table known_town (
    id         uuid primary key,
    code       text not null,
    name       text not null,
    kind       text not null,
    updated_at timestamptz not null
);

-- More of each task for briefings and the computed score criterion.
alter table task_progress add column code text;
alter table task_progress add column assignee_id uuid;
alter table task_progress add column action_item_id uuid;
alter table task_progress add column created_at timestamptz;
alter table task_progress add column verified_at timestamptz;
alter table task_progress add column on_time boolean;
alter table task_progress add column overdue_since timestamptz;
create index task_progress_action_item on task_progress (action_item_id);
create index task_progress_town_star on task_progress (town_id, star);

create table meeting (
    id           uuid primary key,
    title        text        not null,
    type         text        not null check (type in ('REGULAR', 'OBSERVATION', 'REVIEW', 'LOOK_BACK')),
    star         text,
    meeting_date date        not null,
    place        text,
    chair_id     uuid,
    agenda       text,
    minutes      text,
    status       text        not null check (status in ('DRAFT', 'OPEN', 'IN_PROGRESS', 'CLOSED')),
    version      bigint      not null default 0,
    created_by   uuid        not null,
    created_at   timestamptz not null,
    closed_at    timestamptz
);
create index meeting_type_date on meeting (type, meeting_date);

create table attendee (
    meeting_id  uuid not null references meeting (id),
    person_id   uuid not null,
    attendance  text not null check (attendance in ('PRESENT', 'ABSENT', 'DELEGATED')),
    delegate_id uuid,
    primary key (meeting_id, person_id)
);

create table meeting_journal (
    id         bigserial primary key,
    meeting_id uuid        not null references meeting (id),
    at         timestamptz not null,
    actor_id   uuid        not null,
    action     text        not null,
    note       text,
    old_value  text,
    new_value  text
);

create table decision (
    id         uuid primary key,
    meeting_id uuid        not null references meeting (id),
    text       text        not null,
    created_by uuid        not null,
    created_at timestamptz not null
);

create table action_item (
    id          uuid primary key,
    decision_id uuid not null references decision (id),
    meeting_id  uuid not null references meeting (id),
    title       text not null,
    group_id    uuid not null,
    assignee_id uuid,
    due_date    date not null,
    star        text,
    town_id     uuid,
    village_id  uuid
);
create index action_item_meeting on action_item (meeting_id);

create table score_criterion (
    meeting_id uuid    not null references meeting (id),
    code       text    not null,
    name       text    not null,
    weight     numeric not null check (weight > 0),
    computed   text,
    primary key (meeting_id, code)
);

create table scorer (
    meeting_id uuid not null references meeting (id),
    person_id  uuid not null,
    primary key (meeting_id, person_id)
);

create table score (
    meeting_id uuid        not null references meeting (id),
    scorer_id  uuid        not null,
    town_id    uuid        not null,
    criterion  text        not null,
    value      numeric     not null check (value >= 0 and value <= 100),
    updated_at timestamptz not null,
    primary key (meeting_id, scorer_id, town_id, criterion)
);

-- A published ranking, frozen (通报).
create table ranking_entry (
    meeting_id   uuid        not null references meeting (id),
    town_id      uuid        not null,
    town_name    text        not null,
    star         text,
    rank         int         not null,
    score        numeric     not null,
    breakdown    text        not null,
    published_at timestamptz not null,
    primary key (meeting_id, town_id)
);

create table statement (
    id             uuid primary key,
    meeting_id     uuid not null references meeting (id),
    town_id        uuid not null,
    town_name      text not null,
    rank           int  not null,
    due_date       date,
    text           text,
    statement_date date,
    recorded_by    uuid,
    recorded_at    timestamptz
);

create table finding (
    id           uuid primary key,
    meeting_id   uuid        not null references meeting (id),
    task_id      uuid        not null,
    village_id   uuid,
    result       text        not null check (result in ('HOLDS', 'REBOUNDED')),
    note         text        not null,
    inspector_id uuid        not null,
    created_at   timestamptz not null
);
