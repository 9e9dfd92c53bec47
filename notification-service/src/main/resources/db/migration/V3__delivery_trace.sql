-- The W3C traceparent of the event a delivery answers; the webhook request carries it, so the receiver can join
-- the trace that began with the change in task-service or review-service.
alter table delivery add column trace_parent text;
