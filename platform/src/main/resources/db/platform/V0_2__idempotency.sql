-- Idempotency-Key records: the first answer to a (caller, key) pair, replayed for every retry.
create table idempotency_record (
    caller       text        not null,
    idem_key     text        not null,
    operation    text        not null,
    request_hash text        not null,
    status       int         not null,
    headers      text        not null,
    body         text,
    created_at   timestamptz not null default now(),
    primary key (caller, idem_key)
);
create index idempotency_record_created on idempotency_record (created_at);
