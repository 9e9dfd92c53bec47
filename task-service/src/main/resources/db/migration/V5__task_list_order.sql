-- The task list pages in (created_at, id) order, newest first, or in (due_date, id) order for overdue drill-downs.
-- Without an index on the order, every page sorted all matching tasks: 0.7-1.3 s a page at 6,000,000 tasks.
-- Newest first, all tasks or a few filters (status, group, star: scanned in order, filtered on the way):
create index task_created on task (created_at, id);
-- A week's tasks (the office's weekly view), newest first:
create index task_week_created on task (week, created_at, id);
-- Earliest due first among open tasks (sort=due with overdue=true, per group / town / village / star) uses the
-- partial indexes of V4 (task_open_due, task_open_group, task_open_town, task_open_village, task_open_star).
