package app.fivestar.task.dashboard;

import app.fivestar.platform.problem.Problems;
import app.fivestar.task.dispatch.Weeks;
import app.fivestar.task.overdue.OverdueConfig;
import app.fivestar.task.task.TaskLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The leaders' questions, answered in SQL over the task table: totals by status and traffic light, overdue
 * buckets with their oldest overdue age, and the weekly trend. Overdue questions read only open tasks through
 * the partial index on due dates. A town secretary's answers are limited to their town ({@code townId}).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class Dashboard {

    static final String OPEN = "('ASSIGNED','ACCEPTED','IN_PROGRESS','RETURNED')";

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    OverdueConfig overdue;

    public record Summary(String week, long total, Map<String, Long> byStatus, Map<String, Long> byLight, double completionPercent, long overdue) {
    }

    public record Bucket(String key, String label, long overdue, long oldestOverdueDays, String drillDown) {
    }

    public record TrendWeek(String week, long dispatched, long verifiedOnTime, long verifiedLate, long overdue) {
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(TaskLifecycle.CAMPAIGN_ZONE));
    }

    @SuppressWarnings("unchecked")
    public Summary summary(String week, UUID town) {
        LocalDate today = today();
        String where = where(week, town);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (String s : List.of("ASSIGNED", "ACCEPTED", "IN_PROGRESS", "SUBMITTED", "VERIFIED", "RETURNED", "CANCELLED")) {
            byStatus.put(s, 0L);
        }
        List<Object[]> rows = params(em.createNativeQuery("select status, count(*) from task t where " + where + " group by status"), week, town, today)
                .getResultList();
        long total = 0;
        for (Object[] r : rows) {
            byStatus.put((String) r[0], ((Number) r[1]).longValue());
            total += ((Number) r[1]).longValue();
        }
        Object[] lights = (Object[]) params(em.createNativeQuery("select "
                        + "count(*) filter (where t.due_date < :today), "
                        + "count(*) filter (where t.due_date >= :today and (t.due_date < :soon or t.returned_count > 0)) "
                        + "from task t where " + where + " and t.status in " + OPEN), week, town, today)
                .setParameter("soon", today.plusDays(Math.max(1, overdue.dueSoonDays()))).getSingleResult();
        long red = ((Number) lights[0]).longValue();
        long yellow = ((Number) lights[1]).longValue();
        long countable = total - byStatus.get("CANCELLED");
        Map<String, Long> byLight = new LinkedHashMap<>();
        byLight.put("RED", red);
        byLight.put("YELLOW", yellow);
        byLight.put("GREEN", countable - red - yellow);
        double completion = countable == 0 ? 0 : Math.round(1000.0 * byStatus.get("VERIFIED") / countable) / 10.0;
        return new Summary(week, total, byStatus, byLight, completion, red);
    }

    @SuppressWarnings("unchecked")
    public List<Bucket> overdue(String by, String sort, UUID town) {
        String column = switch (by == null ? "group" : by) {
            case "group" -> "t.group_id";
            case "town" -> "t.town_id";
            case "village" -> "t.village_id";
            case "star" -> "t.star";
            default -> throw Problems.badRequest("by must be group, town, village or star");
        };
        // names are joined after counting, so that the count reads only the task table
        String names = switch (by == null ? "group" : by) {
            case "group" -> "left join working_group l on l.id = a.k";
            case "town" -> "left join town l on l.id = a.k";
            case "village" -> "left join village l on l.id = a.k";
            default -> "left join (select null::text as name) l on true";
        };
        String order = switch (sort == null ? "count" : sort) {
            case "count" -> "2 desc, 3 asc";
            case "age" -> "3 asc, 2 desc";
            default -> throw Problems.badRequest("sort must be count or age");
        };
        LocalDate today = today();
        String where = "t.status in " + OPEN + " and t.due_date < :today" + (town == null ? "" : " and t.town_id = :town") + " and " + column + " is not null";
        var q = em.createNativeQuery("select cast(a.k as text), a.n, a.oldest, l.name from (select " + column + " as k, count(*) as n, "
                + "min(t.due_date) as oldest from task t where " + where + " group by " + column + ") a " + names + " order by " + order)
                .setParameter("today", today);
        if (town != null) {
            q.setParameter("town", town);
        }
        List<Object[]> rows = q.getResultList();
        String filter = switch (by == null ? "group" : by) {
            case "group" -> "groupId";
            case "town" -> "townId";
            case "village" -> "villageId";
            default -> "star";
        };
        List<Bucket> out = new ArrayList<>();
        for (Object[] r : rows) {
            LocalDate oldest = r[2] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[2];
            out.add(new Bucket((String) r[0], r[3] == null ? (String) r[0] : r[3].toString(), ((Number) r[1]).longValue(),
                    ChronoUnit.DAYS.between(oldest, today), "/api/v1/tasks?overdue=true&" + filter + "=" + r[0]));
        }
        return out;
    }

    public record Lights(String key, String label, long red, long yellow, long green) {
    }

    /** Red / yellow / green per group or town (open and closed tasks, cancelled ones left out). */
    @SuppressWarnings("unchecked")
    public List<Lights> lights(String by, UUID town) {
        String column = switch (by == null ? "group" : by) {
            case "group" -> "t.group_id";
            case "town" -> "t.town_id";
            default -> throw Problems.badRequest("by must be group or town");
        };
        String names = column.equals("t.group_id") ? "working_group" : "town";
        LocalDate today = today();
        var q = em.createNativeQuery("select cast(a.k as text), l.name, a.red, a.yellow, a.n from (select " + column + " as k, "
                        + "count(*) filter (where t.status in " + OPEN + " and t.due_date < :today) as red, "
                        + "count(*) filter (where t.status in " + OPEN + " and t.due_date >= :today and (t.due_date < :soon or t.returned_count > 0)) as yellow, "
                        + "count(*) as n from task t where t.status <> 'CANCELLED' and " + column + " is not null"
                        + (town == null ? "" : " and t.town_id = :town") + " group by " + column + ") a left join " + names + " l on l.id = a.k order by 2")
                .setParameter("today", today).setParameter("soon", today.plusDays(Math.max(1, overdue.dueSoonDays())));
        if (town != null) {
            q.setParameter("town", town);
        }
        List<Lights> out = new ArrayList<>();
        for (Object[] r : (List<Object[]>) q.getResultList()) {
            long red = n(r[2]);
            long yellow = n(r[3]);
            out.add(new Lights((String) r[0], r[1] == null ? (String) r[0] : r[1].toString(), red, yellow, n(r[4]) - red - yellow));
        }
        return out;
    }

    public record OverdueTask(UUID id, String code, String title, String star, LocalDate dueDate, long daysOverdue, UUID groupId, UUID townId) {
    }

    /** The tasks overdue longest, oldest first. */
    @SuppressWarnings("unchecked")
    public List<OverdueTask> oldest(int limit, UUID town) {
        if (limit < 1 || limit > 100) {
            throw Problems.badRequest("limit must be between 1 and 100");
        }
        LocalDate today = today();
        var q = em.createNativeQuery("select t.id, t.code, t.title, t.star, t.due_date, t.group_id, t.town_id from task t where t.status in " + OPEN
                        + " and t.due_date < :today" + (town == null ? "" : " and t.town_id = :town") + " order by t.due_date, t.id limit :limit")
                .setParameter("today", today).setParameter("limit", limit);
        if (town != null) {
            q.setParameter("town", town);
        }
        List<OverdueTask> out = new ArrayList<>();
        for (Object[] r : (List<Object[]>) q.getResultList()) {
            LocalDate due = r[4] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[4];
            out.add(new OverdueTask((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], due, ChronoUnit.DAYS.between(due, today),
                    (UUID) r[5], (UUID) r[6]));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public List<TrendWeek> trend(int weeks, UUID town) {
        if (weeks < 1 || weeks > 104) {
            throw Problems.badRequest("weeks must be between 1 and 104");
        }
        LocalDate today = today();
        List<String> labels = new ArrayList<>();
        for (int i = weeks - 1; i >= 0; i--) {
            labels.add(Weeks.of(today.minusWeeks(i)));
        }
        var q = em.createNativeQuery("select t.week, count(*), "
                        + "count(*) filter (where t.status = 'VERIFIED' and (t.submitted_at at time zone 'Asia/Shanghai')::date <= t.due_date), "
                        + "count(*) filter (where t.status = 'VERIFIED' and (t.submitted_at at time zone 'Asia/Shanghai')::date > t.due_date), "
                        + "count(*) filter (where t.status in " + OPEN + " and t.due_date < :today) "
                        + "from task t where t.week in (:weeks)" + (town == null ? "" : " and t.town_id = :town") + " group by t.week")
                .setParameter("today", today).setParameter("weeks", labels);
        if (town != null) {
            q.setParameter("town", town);
        }
        Map<String, Object[]> byWeek = new LinkedHashMap<>();
        for (Object[] r : (List<Object[]>) q.getResultList()) {
            byWeek.put((String) r[0], r);
        }
        List<TrendWeek> out = new ArrayList<>();
        for (String w : labels) {
            Object[] r = byWeek.get(w);
            out.add(r == null ? new TrendWeek(w, 0, 0, 0, 0)
                    : new TrendWeek(w, n(r[1]), n(r[2]), n(r[3]), n(r[4])));
        }
        return out;
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }

    private static String where(String week, UUID town) {
        return "1 = 1" + (week == null ? "" : " and t.week = :week") + (town == null ? "" : " and t.town_id = :town");
    }

    private static jakarta.persistence.Query params(jakarta.persistence.Query q, String week, UUID town, LocalDate today) {
        if (week != null) {
            q.setParameter("week", week);
        }
        if (town != null) {
            q.setParameter("town", town);
        }
        if (q.getParameters().stream().anyMatch(p -> "today".equals(p.getName()))) {
            q.setParameter("today", today);
        }
        return q;
    }
}
