create table notification (
    id           uuid primary key,
    recipient_id uuid        not null,
    kind         text        not null,
    title        text        not null,
    body         text        not null,
    link         text,
    event_id     uuid        not null,
    event_time   timestamptz not null,
    created_at   timestamptz not null,
    read_at      timestamptz,
    unique (event_id, recipient_id)
);
create index notification_recipient on notification (recipient_id, created_at desc, id);
