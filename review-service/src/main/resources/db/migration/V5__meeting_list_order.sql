-- The meeting list's order (latest date first, then latest called), so that a page starts at its cursor in the index.
create index meeting_list_order on meeting (meeting_date desc, created_at desc, id desc);
