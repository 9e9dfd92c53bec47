-- The leaders' dashboard read model: one row of counters per question a leader asks — per town and for all towns,
-- for the whole campaign and per week, per group, star and village — kept in the same transaction as every change to
-- a task by statement triggers on the task table, so that no write path can forget them. A dashboard answer then
-- reads one row per bucket (at most one per village) instead of counting millions of tasks.
--
-- Red and yellow depend on the day: the counters hold them as of dashboard_day.day (and the due-soon window
-- dashboard_day.soon). dashboard_roll moves the counters to another day by recounting only the open tasks whose
-- light differs between the two days (due dates inside the moving window).
--
-- Every write to the counters holds the transaction-scoped advisory lock 2052900006 (0x7A5CC4A6), the one
-- TaskChanges takes to stamp changes, so counter updates never interleave or deadlock.

create table dashboard_day (
    id   int  primary key check (id = 1),
    day  date not null,
    soon int  not null
);
insert into dashboard_day values (1, (now() at time zone 'Asia/Shanghai')::date, 1);

create table dashboard_tally (
    dim         text   not null check (dim in ('town', 'group', 'star', 'village')),
    week        text   not null, -- '' is the whole campaign
    town_id     uuid   not null, -- a town; ffffffff-… all towns (every village row); 00000000-… tasks without a town
    key         text   not null, -- '' for dim 'town' (the town itself), else the group, star or village
    assigned    bigint not null default 0,
    accepted    bigint not null default 0,
    in_progress bigint not null default 0,
    submitted   bigint not null default 0,
    verified    bigint not null default 0,
    returned    bigint not null default 0,
    cancelled   bigint not null default 0,
    on_time     bigint not null default 0, -- verified, submitted on or before the due date (Asia/Shanghai)
    late        bigint not null default 0, -- verified, submitted after the due date
    red         bigint not null default 0, -- open, past due
    yellow      bigint not null default 0, -- open, not past due, due soon or returned at least once
    oldest_open date,                      -- earliest due date among the bucket's open tasks (whole-campaign rows)
    primary key (dim, week, town_id, key)
) with (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.05);
-- the buckets with overdue tasks, most first and oldest first: the first page of 46,000 villages without a sort
create index dashboard_tally_by_count on dashboard_tally (dim, week, town_id, red desc, oldest_open, key) where red > 0;
create index dashboard_tally_by_age on dashboard_tally (dim, week, town_id, oldest_open, red desc, key) where red > 0;
-- dim and week are far from independent (week rows exist only for dim 'town'); without this the planner misjudges
-- how many rows a question reads and scans the whole table
create statistics dashboard_tally_rows (mcv) on dim, week from dashboard_tally;

-- where the oldest open due date of a bucket is looked up after a task leaves it; the first two also list the
-- oldest overdue tasks in order
drop index task_due;
create index task_open_due on task (due_date, id) where status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED');
create index task_open_town on task (town_id, due_date, id) where status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED');
create index task_open_group on task (group_id, due_date) where status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED');
create index task_open_star on task (star, due_date) where status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED');
create index task_open_town_group on task (town_id, group_id, due_date) where status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED');
create index task_open_town_star on task (town_id, star, due_date) where status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED');
create index task_open_village on task (village_id, due_date) where status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED');

-- The buckets one task counts in: its town's and all towns' rows for the campaign, its week, its group and its star,
-- and its village's row (a village lies in one town, so its row serves both the district and the town).
create function dashboard_keys(p_town uuid, p_week text, p_group uuid, p_star text, p_village uuid)
    returns table (dim text, week text, town_id uuid, key text)
    language sql immutable as $$
    select d.dim, d.week, s.town_id, d.key
    from (values (coalesce(p_town, '00000000-0000-0000-0000-000000000000'::uuid)), ('ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)) s(town_id)
    cross join (values ('town', '', ''), ('town', p_week, ''), ('group', '', p_group::text), ('star', '', p_star)) d(dim, week, key)
    where d.week is not null and d.key is not null
    union all select 'village', '', 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid, p_village::text where p_village is not null
$$;

-- The earliest due date among a bucket's open tasks, through the partial indexes above.
create function dashboard_oldest(p_dim text, p_town uuid, p_key text) returns date
    language plpgsql stable as $$
begin
    if p_dim = 'village' then
        return (select min(due_date) from task where village_id = p_key::uuid and status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED'));
    elsif p_town = 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid then
        return case p_dim
            when 'town' then (select min(due_date) from task where status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED'))
            when 'group' then (select min(due_date) from task where group_id = p_key::uuid and status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED'))
            else (select min(due_date) from task where star = p_key and status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED')) end;
    elsif p_town = '00000000-0000-0000-0000-000000000000'::uuid then
        return case p_dim
            when 'town' then (select min(due_date) from task where town_id is null and status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED'))
            when 'group' then (select min(due_date) from task where town_id is null and group_id = p_key::uuid and status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED'))
            else (select min(due_date) from task where town_id is null and star = p_key and status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED')) end;
    end if;
    return case p_dim
        when 'town' then (select min(due_date) from task where town_id = p_town and status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED'))
        when 'group' then (select min(due_date) from task where town_id = p_town and group_id = p_key::uuid and status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED'))
        else (select min(due_date) from task where town_id = p_town and star = p_key and status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED')) end;
end
$$;

-- The statement that adds the rows of `source` to the counters, each with its sign (+1 counts a task in, -1 counts it
-- out) and the day and due-soon window its light is judged by. Columns of source: sign, day, soon, town_id, week,
-- group_id, star, village_id, status, due_date, returned_count, submitted_at. (Statements, not functions that run
-- them, because a trigger's transition tables are visible only to statements the trigger function runs itself.)
create function dashboard_count_sql(source text) returns text
    language sql immutable as $f$
    select format($q$
        with r as (%s),
        m as (
            select k.dim, k.week, k.town_id, k.key,
                sum(case when r.status = 'ASSIGNED' then r.sign else 0 end) as assigned,
                sum(case when r.status = 'ACCEPTED' then r.sign else 0 end) as accepted,
                sum(case when r.status = 'IN_PROGRESS' then r.sign else 0 end) as in_progress,
                sum(case when r.status = 'SUBMITTED' then r.sign else 0 end) as submitted,
                sum(case when r.status = 'VERIFIED' then r.sign else 0 end) as verified,
                sum(case when r.status = 'RETURNED' then r.sign else 0 end) as returned,
                sum(case when r.status = 'CANCELLED' then r.sign else 0 end) as cancelled,
                sum(case when r.status = 'VERIFIED' and (r.submitted_at at time zone 'Asia/Shanghai')::date <= r.due_date then r.sign else 0 end) as on_time,
                sum(case when r.status = 'VERIFIED' and (r.submitted_at at time zone 'Asia/Shanghai')::date > r.due_date then r.sign else 0 end) as late,
                sum(case when r.status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED') and r.due_date < r.day then r.sign else 0 end) as red,
                sum(case when r.status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED') and r.due_date >= r.day
                    and (r.due_date < r.day + r.soon or r.returned_count > 0) then r.sign else 0 end) as yellow,
                min(r.due_date) filter (where r.sign > 0 and k.week = '' and r.status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED')) as oldest_open
            from r cross join lateral dashboard_keys(r.town_id, r.week, r.group_id, r.star, r.village_id) k
            group by 1, 2, 3, 4)
        insert into dashboard_tally as t (dim, week, town_id, key, assigned, accepted, in_progress, submitted, verified, returned,
                                          cancelled, on_time, late, red, yellow, oldest_open)
        select * from m
        where assigned <> 0 or accepted <> 0 or in_progress <> 0 or submitted <> 0 or verified <> 0 or returned <> 0
           or cancelled <> 0 or on_time <> 0 or late <> 0 or red <> 0 or yellow <> 0 or oldest_open is not null
        on conflict (dim, week, town_id, key) do update set
            assigned = t.assigned + excluded.assigned, accepted = t.accepted + excluded.accepted,
            in_progress = t.in_progress + excluded.in_progress, submitted = t.submitted + excluded.submitted,
            verified = t.verified + excluded.verified, returned = t.returned + excluded.returned,
            cancelled = t.cancelled + excluded.cancelled, on_time = t.on_time + excluded.on_time, late = t.late + excluded.late,
            red = t.red + excluded.red, yellow = t.yellow + excluded.yellow,
            oldest_open = least(t.oldest_open, excluded.oldest_open)
        $q$, source)
$f$;

-- The statement that looks up again the oldest open due date of every bucket a counted-out open task left.
create function dashboard_oldest_sql(source text) returns text
    language sql immutable as $f$
    select format($q$
        with r as (%s),
        b as (
            select distinct k.dim, k.town_id, k.key
            from r cross join lateral dashboard_keys(r.town_id, r.week, r.group_id, r.star, r.village_id) k
            where r.sign < 0 and k.week = '' and r.status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED'))
        update dashboard_tally t set oldest_open = dashboard_oldest(t.dim, t.town_id, t.key)
        from b where t.dim = b.dim and t.week = '' and t.town_id = b.town_id and t.key = b.key
        $q$, source)
$f$;

-- Counts every task afresh (used once below; safe to run again by hand).
create function dashboard_rebuild() returns void
    language plpgsql as $$
begin
    perform pg_advisory_xact_lock(2052900006);
    delete from dashboard_tally;
    execute dashboard_count_sql('select 1 as sign, d.day, d.soon, t.town_id, t.week, t.group_id, t.star, t.village_id, t.status, '
        || 't.due_date, t.returned_count, t.submitted_at from task t cross join dashboard_day d');
end
$$;

-- Moves red and yellow to another day and due-soon window: only open tasks due between the earlier day and the later
-- end of the window can change light, so only they are counted out at the old day and in at the new one.
create function dashboard_roll(p_day date, p_soon int) returns void
    language plpgsql as $$
declare
    d dashboard_day%rowtype;
begin
    perform pg_advisory_xact_lock(2052900006);
    select * into d from dashboard_day where id = 1;
    if d.day = p_day and d.soon = p_soon then
        return;
    end if;
    execute dashboard_count_sql(format('select s.sign, s.day, s.soon, t.town_id, t.week, t.group_id, t.star, t.village_id, t.status, '
        || 't.due_date, t.returned_count, t.submitted_at from task t cross join (values (-1, %L::date, %s), (1, %L::date, %s)) s(sign, day, soon) '
        || 'where t.status not in (''SUBMITTED'', ''VERIFIED'', ''CANCELLED'') and t.due_date >= %L::date and t.due_date < %L::date',
        d.day, d.soon, p_day, p_soon, least(d.day, p_day), greatest(d.day + d.soon, p_day + p_soon, d.day + 1, p_day + 1)));
    update dashboard_day set day = p_day, soon = p_soon where id = 1;
end
$$;

-- The triggers: what a statement counted out (old rows) and counted in (new rows), at the counters' day.
create function dashboard_track() returns trigger
    language plpgsql as $$
declare
    cols constant text := 'd.day, d.soon, x.town_id, x.week, x.group_id, x.star, x.village_id, x.status, x.due_date, x.returned_count, x.submitted_at';
    counted_in constant text := 'select 1 as sign, ' || cols || ' from new_rows x cross join dashboard_day d';
    counted_out constant text := 'select -1 as sign, ' || cols || ' from old_rows x cross join dashboard_day d';
    source text;
begin
    perform pg_advisory_xact_lock(2052900006);
    source := case tg_op when 'INSERT' then counted_in when 'DELETE' then counted_out else counted_out || ' union all ' || counted_in end;
    execute dashboard_count_sql(source);
    if tg_op <> 'INSERT' then
        execute dashboard_oldest_sql(source);
    end if;
    return null;
end
$$;

create trigger task_dashboard_insert after insert on task referencing new table as new_rows
    for each statement execute function dashboard_track();
create trigger task_dashboard_update after update on task referencing old table as old_rows new table as new_rows
    for each statement execute function dashboard_track();
create trigger task_dashboard_delete after delete on task referencing old table as old_rows
    for each statement execute function dashboard_track();

select dashboard_rebuild();
