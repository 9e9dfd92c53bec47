-- The W3C traceparent of the request or event that wrote the row; the relay sends it as the record's traceparent
-- header. Added after the services' own migrations: on an existing database Flyway applies it out of order
-- (quarkus.flyway.out-of-order=true), on a new one in order.
alter table outbox_event add column trace_parent text;
