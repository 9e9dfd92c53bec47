-- notification-service's own projection of the directory (from directory-events).
create table known_person (
    id           uuid primary key,
    username     text    not null,
    display_name text    not null,
    roles        text    not null,
    group_id     uuid,
    town_id      uuid,
    email        text,
    phone        text,
    active       boolean not null,
    updated_at   timestamptz not null
);
create index known_person_group on known_person (group_id);
create index known_person_town on known_person (town_id);

create table known_group (
    id         uuid primary key,
    code       text not null,
    name       text not null,
    kind       text not null,
    lead_id    uuid,
    patron_id  uuid,
    updated_at timestamptz not null
);

-- Events whose recipients the directory does not know yet: routed again when it catches up.
create table pending_routing (
    id          bigserial primary key,
    waiting_for uuid        not null,
    event       text        not null,
    created_at  timestamptz not null default now()
);
create index pending_routing_waiting on pending_routing (waiting_for);

alter table notification add column seq bigserial;
alter table notification add column urgent boolean not null default false;
create unique index notification_seq on notification (seq);
create index notification_recipient_seq on notification (recipient_id, seq);
create index notification_unread on notification (recipient_id) where read_at is null;

create table preference (
    person_id   uuid primary key,
    channels    text    not null,
    quiet_start time,
    quiet_end   time,
    digest      boolean not null,
    version     bigint  not null default 0
);

create table webhook (
    id              uuid primary key,
    owner_person_id uuid,
    owner_group_id  uuid,
    url             text        not null,
    format          text        not null check (format in ('GENERIC', 'DINGTALK', 'WECOM')),
    secret          text        not null,
    active          boolean     not null,
    created_by      uuid        not null,
    created_at      timestamptz not null,
    check ((owner_person_id is null) <> (owner_group_id is null))
);

-- One row per message to send on an outbound channel; the worker claims due rows with SKIP LOCKED.
create table delivery (
    id              uuid primary key,
    notification_id uuid        not null references notification (id),
    recipient_id    uuid        not null,
    event_id        uuid        not null,
    channel         text        not null check (channel in ('WEBHOOK', 'EMAIL')),
    target          text        not null,
    webhook_id      uuid references webhook (id),
    status          text        not null check (status in ('PENDING', 'DELIVERED', 'FAILED', 'DIGEST', 'DIGESTED')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null,
    last_error      text,
    event_time      timestamptz not null,
    created_at      timestamptz not null,
    delivered_at    timestamptz,
    unique (event_id, channel, target)
);
create index delivery_due on delivery (next_attempt_at) where status = 'PENDING';
create index delivery_digest on delivery (recipient_id) where status = 'DIGEST';
