-- Which instance's outbox relay publishes: a lease renewed with every batch (instead of an advisory lock held by a
-- transaction that stayed open while Kafka acknowledged). The batch is read, sent and marked in separate steps, with
-- no transaction open while the broker is asked.
create table outbox_relay_lease (
    id     int primary key,
    holder text        not null,
    until  timestamptz not null
);
