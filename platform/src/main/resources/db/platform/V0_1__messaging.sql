-- Platform messaging tables, present in every service's database.

-- Transactional outbox: written in the same transaction as the state change, published by the relay.
create table outbox_event (
    seq          bigserial primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    record_key   text        not null,
    type         text        not null,
    payload      text        not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_event_unpublished on outbox_event (seq) where published_at is null;
create index outbox_event_published_at on outbox_event (published_at) where published_at is not null;

-- Inbox: ids of events a consumer has processed, checked in the consumer's own transaction.
create table inbox_event (
    event_id     uuid        not null,
    consumer     text        not null,
    type         text        not null,
    processed_at timestamptz not null default now(),
    primary key (event_id, consumer)
);
