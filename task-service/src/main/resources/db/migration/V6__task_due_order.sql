-- The task list's earliest-due-first order (sort=due) over all tasks, closed ones included: without these a page
-- sorted every matching task (2.0 s for the first page of 6,000,000). Open and overdue lists keep using V4's
-- partial open-task indexes, which skip the closed tasks that fill the oldest due dates.
create index task_due_order on task (due_date, id);
create index task_week_due on task (week, due_date, id);
