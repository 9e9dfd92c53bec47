-- The relay prunes processed inbox ids by age: an index, so the prune reads only what it deletes.
create index inbox_event_processed_at on inbox_event (processed_at);
