-- Directory: three-level linkage (district → town / sub-district → village / community).
create table town (
    id   uuid primary key,
    code text not null unique,
    name text not null,
    kind text not null check (kind in ('TOWN', 'SUBDISTRICT'))
);

create table village (
    id      uuid primary key,
    code    text not null unique,
    name    text not null,
    town_id uuid not null references town (id),
    kind    text not null check (kind in ('VILLAGE', 'COMMUNITY'))
);
create index village_town on village (town_id);

alter table working_group add column code text;
alter table working_group add column kind text not null default 'GROUP' check (kind in ('OFFICE', 'GROUP'));
-- the standing-committee member who "leads the star" of this group (区委常委领星)
alter table working_group add column patron_id uuid;
alter table working_group add column version bigint not null default 0;
update working_group set code = 'G-' || substr(id::text, 1, 8) where code is null;
alter table working_group alter column code set not null;
alter table working_group add constraint working_group_code unique (code);

alter table person add column phone text;
alter table person add column email text;
alter table person add column active boolean not null default true;
alter table person add column version bigint not null default 0;
alter table person add constraint person_town foreign key (town_id) references town (id);

-- county-level cadres follow the villages assigned to them (县级干部分包到村)
create table person_village (
    person_id  uuid not null references person (id),
    village_id uuid not null references village (id),
    primary key (person_id, village_id)
);

-- The task catalogue (the 126 tasks).
create table catalog_item (
    code           text primary key,
    title          text    not null,
    description    text    not null,
    star           text    not null check (star in ('ZB', 'CY', 'ST', 'PA', 'WM', 'GEN')),
    group_code     text    not null,
    level          text    not null check (level in ('DISTRICT', 'TOWN', 'VILLAGE')),
    min_photos     int     not null check (min_photos >= 0),
    note_required  boolean not null,
    default_days   int     not null check (default_days > 0),
    active         boolean not null default true,
    version        bigint  not null default 0
);

-- Weekly dispatch (交办).
create table dispatch (
    id         uuid primary key,
    week       text        not null,
    created_by uuid        not null,
    created_at timestamptz not null
);
create index dispatch_week on dispatch (week);

create sequence task_change_seq;

alter table task add column code text references catalog_item (code);
alter table task add column star text;
alter table task add column town_id uuid references town (id);
alter table task add column village_id uuid references village (id);
alter table task add column dispatch_id uuid references dispatch (id);
alter table task add column week text;
alter table task add column meeting_id uuid;
alter table task add column action_item_id uuid unique;
alter table task add column note text;
alter table task add column returned_count int not null default 0;
alter table task add column submitted_at timestamptz;
alter table task add column verified_at timestamptz;
alter table task add column updated_at timestamptz;
alter table task add column change_seq bigint not null default nextval('task_change_seq');
update task set updated_at = created_at, star = 'GEN' where updated_at is null;
alter table task alter column updated_at set not null;
create index task_week_status on task (week, status);
create index task_village on task (village_id);
create index task_town on task (town_id);
create index task_dispatch on task (dispatch_id);
create index task_change on task (change_seq);
create index task_due on task (due_date) where status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED');

-- Tasks that left a person's list (reassigned away): what a phone must drop on its next sync.
create table task_departure (
    person_id  uuid   not null,
    task_id    uuid   not null,
    change_seq bigint not null,
    primary key (person_id, task_id)
);
create index task_departure_seq on task_departure (person_id, change_seq);

-- Who did what to a task, when, from which client, old and new values.
create table task_journal (
    id         bigserial primary key,
    task_id    uuid        not null references task (id),
    at         timestamptz not null,
    actor_id   uuid        not null,
    action     text        not null,
    client     text,
    old_values text,
    new_values text,
    note       text
);
create index task_journal_task on task_journal (task_id, id);

-- Evidence (佐证材料): photos attached to a task.
create table evidence (
    id           uuid primary key,
    task_id      uuid        not null references task (id),
    filename     text        not null,
    content_type text        not null,
    size_bytes   int         not null,
    sha256       text        not null,
    content      bytea       not null,
    uploaded_by  uuid        not null,
    uploaded_at  timestamptz not null
);
create index evidence_task on evidence (task_id);

create table task_evidence (
    task_id     uuid not null references task (id),
    evidence_id uuid not null references evidence (id),
    primary key (task_id, evidence_id)
);

-- Extension requests (延期).
create table extension_request (
    id             uuid primary key,
    task_id        uuid        not null references task (id),
    requested_due  date        not null,
    reason         text        not null,
    status         text        not null check (status in ('PENDING', 'APPROVED', 'REJECTED')),
    requested_by   uuid        not null,
    requested_at   timestamptz not null,
    decided_by     uuid,
    decided_at     timestamptz,
    decision_note  text
);
create index extension_request_task on extension_request (task_id);
