-- The dashboard counters without hot rows. Until now the statement triggers added every task change to the counter
-- rows themselves, under one exclusive advisory lock: every task write in the district waited for the previous one,
-- and the "all towns" rows were updated by every transaction. Now a trigger only appends what a statement counted in
-- and out to dashboard_change (an insert, no lock held against other writers), and dashboard_fold() moves the appended
-- changes into dashboard_tally: in the background a few times a second, and before every dashboard answer, so an answer
-- still counts every committed change and still reads one row per bucket.
--
-- Locks (ids registered in ClusterLock): writers take the change lock 2052900006 *shared* (they never wait for each
-- other), so that dashboard_roll and dashboard_rebuild, which take it exclusively, never interleave with a write that
-- read the counters' day; folds take 2052900007 so that one fold runs at a time (rebuild takes it too).

create table dashboard_change (
    sign           int    not null,
    day            date   not null,
    soon           int    not null,
    town_id        uuid,
    week           text,
    group_id       uuid,
    star           text,
    village_id     uuid,
    status         text   not null,
    due_date       date,
    returned_count int    not null,
    submitted_at   timestamptz
) with (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000, autovacuum_vacuum_insert_threshold = 10000);

create or replace function dashboard_track() returns trigger
    language plpgsql as $$
begin
    perform pg_advisory_xact_lock_shared(2052900006);
    if tg_op = 'INSERT' then
        insert into dashboard_change
        select 1, d.day, d.soon, x.town_id, x.week, x.group_id, x.star, x.village_id, x.status, x.due_date, x.returned_count, x.submitted_at
        from new_rows x cross join dashboard_day d;
    elsif tg_op = 'DELETE' then
        insert into dashboard_change
        select -1, d.day, d.soon, x.town_id, x.week, x.group_id, x.star, x.village_id, x.status, x.due_date, x.returned_count, x.submitted_at
        from old_rows x cross join dashboard_day d;
    else
        -- only rows whose counted columns changed: a note or an assignee changes no counter
        insert into dashboard_change
        select s.*
        from old_rows o join new_rows n on n.id = o.id cross join dashboard_day d
        cross join lateral (values
            (-1, d.day, d.soon, o.town_id, o.week, o.group_id, o.star, o.village_id, o.status, o.due_date, o.returned_count, o.submitted_at),
            (1, d.day, d.soon, n.town_id, n.week, n.group_id, n.star, n.village_id, n.status, n.due_date, n.returned_count, n.submitted_at)) s
        where (o.town_id, o.week, o.group_id, o.star, o.village_id, o.status, o.due_date, o.returned_count, o.submitted_at)
              is distinct from (n.town_id, n.week, n.group_id, n.star, n.village_id, n.status, n.due_date, n.returned_count, n.submitted_at);
    end if;
    return null;
end
$$;

-- Moves the appended changes into the counters; answers how many change rows it moved.
create function dashboard_fold() returns int
    language plpgsql as $$
declare
    n int;
begin
    perform pg_advisory_xact_lock(2052900007);
    create temp table if not exists dashboard_folding (like dashboard_change) on commit delete rows;
    with moved as (delete from dashboard_change returning *)
    insert into dashboard_folding select * from moved;
    get diagnostics n = row_count;
    if n > 0 then
        execute dashboard_count_sql('select * from dashboard_folding');
        execute dashboard_oldest_sql('select * from dashboard_folding');
    end if;
    return n;
end
$$;

create or replace function dashboard_rebuild() returns void
    language plpgsql as $$
begin
    perform pg_advisory_xact_lock(2052900006);
    perform pg_advisory_xact_lock(2052900007);
    delete from dashboard_change;
    delete from dashboard_tally;
    execute dashboard_count_sql('select 1 as sign, d.day, d.soon, t.town_id, t.week, t.group_id, t.star, t.village_id, t.status, '
        || 't.due_date, t.returned_count, t.submitted_at from task t cross join dashboard_day d');
end
$$;

-- As before, but the moved lights are appended as changes (folded like any other).
create or replace function dashboard_roll(p_day date, p_soon int) returns void
    language plpgsql as $$
declare
    d dashboard_day%rowtype;
begin
    perform pg_advisory_xact_lock(2052900006);
    select * into d from dashboard_day where id = 1;
    if d.day = p_day and d.soon = p_soon then
        return;
    end if;
    insert into dashboard_change
    select s.sign, s.day, s.soon, t.town_id, t.week, t.group_id, t.star, t.village_id, t.status, t.due_date, t.returned_count, t.submitted_at
    from task t cross join (values (-1, d.day, d.soon), (1, p_day, p_soon)) s(sign, day, soon)
    where t.status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED') and t.due_date >= least(d.day, p_day)
      and t.due_date < greatest(d.day + d.soon, p_day + p_soon, d.day + 1, p_day + 1);
    update dashboard_day set day = p_day, soon = p_soon where id = 1;
end
$$;
