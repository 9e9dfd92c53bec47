package app.fivestar.task.dashboard;

import app.fivestar.platform.problem.Problems;
import app.fivestar.task.task.Weeks;
import app.fivestar.task.task.TaskStatus;
import app.fivestar.task.task.TrafficLight;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The leaders' questions, answered from the read model dashboard_tally (migrations V4, V10): one row of counters per
 * bucket — a town or all towns, the campaign or a week, a group, star or village — fed by triggers that append every
 * task change in its own transaction, folded into the counters in the background by {@link DashboardFold} (an answer is
 * at most one fold interval, 500 ms, plus a fold behind the writes; a reader never waits for a fold or for another reader)
 * and moved to today's date by {@link DashboardDay}, so every answer reads one row per bucket.
 * Only the list of the oldest overdue tasks reads the task table, through the partial index on open tasks' due dates.
 * A town secretary's answers are limited to their town ({@code townId}).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class Dashboard {

    static final String NO_TOWN = "00000000-0000-0000-0000-000000000000";
    static final String ALL_TOWNS = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    static final List<String> STATUSES = List.of("ASSIGNED", "ACCEPTED", "IN_PROGRESS", "SUBMITTED", "VERIFIED", "RETURNED", "CANCELLED");
    /** All tasks of a tally row, and those not cancelled. */
    static final String ALL = "assigned + accepted + in_progress + submitted + verified + returned + cancelled";
    static final String COUNTABLE = "assigned + accepted + in_progress + submitted + verified + returned";

    @Inject
    EntityManager em;

    @Inject
    TrafficLight lights;

    @Inject
    DashboardDay day;

    @Inject
    DashboardFold fold;

    public record Summary(String week, long total, Map<String, Long> byStatus, Map<String, Long> byLight, double completionPercent, long overdue) {
    }

    public record Bucket(String key, String label, long overdue, long oldestOverdueDays, String drillDown) {
    }

    public record TrendWeek(String week, long dispatched, long verifiedOnTime, long verifiedLate, long overdue) {
    }

    public record Lights(String key, String label, long red, long yellow, long green) {
    }

    /** Today, with the counters moved to it (what has been folded so far: see {@link DashboardFold}). */
    LocalDate today() {
        LocalDate today = lights.today();
        int soon = lights.soonDays();
        if (!day.isAt(today, soon)) {
            day.rollTo(today, soon);
            fold.fold(); // once a day: the first answer of the day already shows the lights moved to it
        }
        return today;
    }

    @SuppressWarnings("unchecked")
    public Summary summary(String week, UUID town) {
        today();
        List<Object[]> rows = em.createNativeQuery("select assigned, accepted, in_progress, submitted, verified, returned, cancelled, red, yellow "
                        + "from dashboard_tally where dim = 'town' and week = :week and town_id = :scope")
                .setParameter("week", week == null ? "" : week).setParameter("scope", scope(town)).getResultList();
        Object[] r = rows.isEmpty() ? new Object[9] : rows.get(0);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < STATUSES.size(); i++) {
            byStatus.put(STATUSES.get(i), n(r[i]));
            total += n(r[i]);
        }
        long red = n(r[7]);
        long yellow = n(r[8]);
        long countable = total - byStatus.get("CANCELLED");
        Map<String, Long> byLight = new LinkedHashMap<>();
        byLight.put("RED", red);
        byLight.put("YELLOW", yellow);
        byLight.put("GREEN", countable - red - yellow);
        double completion = countable == 0 ? 0 : Math.round(1000.0 * byStatus.get("VERIFIED") / countable) / 10.0;
        return new Summary(week, total, byStatus, byLight, completion, red);
    }

    @SuppressWarnings("unchecked")
    public List<Bucket> overdue(String by, String sort, int limit, UUID town) {
        Dimension d = Dimension.of(by == null ? "group" : by);
        String order = switch (sort == null ? "count" : sort) {
            case "count" -> "red desc, oldest_open asc, k";
            case "age" -> "oldest_open asc, red desc, k";
            default -> throw Problems.badRequest("sort 只能是 count 或 age");
        };
        if (limit < 1 || limit > 5000) {
            throw Problems.badRequest("limit 须在 1 到 5000 之间");
        }
        LocalDate today = today();
        Query q = em.createNativeQuery("select a.k, a.red, a.oldest_open, " + d.label + " from (select " + d.key + " as k, red, oldest_open from dashboard_tally "
                        + "where " + d.rows(town) + " and red > 0 order by " + order + " limit :limit) a " + d.names + " order by " + order)
                .setParameter("limit", limit);
        List<Bucket> out = new ArrayList<>();
        for (Object[] r : (List<Object[]>) d.bind(q, town).getResultList()) {
            out.add(new Bucket((String) r[0], r[3] == null ? (String) r[0] : r[3].toString(), n(r[1]),
                    ChronoUnit.DAYS.between(date(r[2]), today), "/api/v1/tasks?overdue=true&sort=due&" + d.param() + "=" + r[0]));
        }
        return out;
    }

    /** Red / yellow / green per group or town (open and closed tasks, cancelled ones left out). */
    @SuppressWarnings("unchecked")
    public List<Lights> lights(String by, UUID town) {
        String name = by == null ? "group" : by;
        if (!name.equals("group") && !name.equals("town")) {
            throw Problems.badRequest("by 只能是 group 或 town");
        }
        Dimension d = Dimension.of(name);
        today();
        Query q = em.createNativeQuery("select a.k, " + d.label + ", a.red, a.yellow, a.n from (select " + d.key + " as k, red, yellow, "
                + COUNTABLE + " as n from dashboard_tally where " + d.rows(town) + ") a " + d.names + " where a.n > 0 order by 2, 1");
        List<Lights> out = new ArrayList<>();
        for (Object[] r : (List<Object[]>) d.bind(q, town).getResultList()) {
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
            throw Problems.badRequest("limit 须在 1 到 100 之间");
        }
        LocalDate today = lights.today();
        var q = em.createNativeQuery("select t.id, t.code, t.title, t.star, t.due_date, t.group_id, t.town_id from task t where t.status not in " + TaskStatus.CLOSED_SQL
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
            throw Problems.badRequest("weeks 须在 1 到 104 之间");
        }
        LocalDate today = today();
        List<String> labels = new ArrayList<>();
        for (int i = weeks - 1; i >= 0; i--) {
            labels.add(Weeks.of(today.minusWeeks(i)));
        }
        Query q = em.createNativeQuery("select week, " + ALL + ", on_time, late, red from dashboard_tally "
                + "where dim = 'town' and week in (:weeks) and town_id = :scope").setParameter("weeks", labels).setParameter("scope", scope(town));
        Map<String, Object[]> byWeek = new LinkedHashMap<>();
        for (Object[] r : (List<Object[]>) q.getResultList()) {
            byWeek.put((String) r[0], r);
        }
        List<TrendWeek> out = new ArrayList<>();
        for (String w : labels) {
            Object[] r = byWeek.get(w);
            out.add(r == null ? new TrendWeek(w, 0, 0, 0, 0) : new TrendWeek(w, n(r[1]), n(r[2]), n(r[3]), n(r[4])));
        }
        return out;
    }

    /** How one bucket dimension reads from the tally: its key, which rows, the names joined after reading, the task filter. */
    record Dimension(String dim, String key, String names, String label) {

        static Dimension of(String by) {
            return switch (by) {
                case "group" -> new Dimension("group", "key", "left join working_group l on l.id = cast(a.k as uuid)", "l.name");
                case "town" -> new Dimension("town", "cast(town_id as text)", "left join town l on l.id = cast(a.k as uuid)", "l.name");
                case "village" -> new Dimension("village", "key", "left join village l on l.id = cast(a.k as uuid)", "l.name");
                case "star" -> new Dimension("star", "key", "", "null");
                default -> throw Problems.badRequest("by 只能是 group、town、village 或 star");
            };
        }

        /** The campaign-wide rows of this dimension, for the district or one town. */
        String rows(UUID town) {
            String rows = "dim = '" + dim + "' and week = '' and ";
            return switch (dim) {
                case "town" -> rows + (town == null ? "town_id not in ('" + ALL_TOWNS + "', '" + NO_TOWN + "')" : "town_id = :town");
                case "village" -> rows + "town_id = '" + ALL_TOWNS + "'" + (town == null ? "" : " and key in (select cast(id as text) from village where town_id = :town)");
                default -> rows + "town_id = " + (town == null ? "'" + ALL_TOWNS + "'" : ":town");
            };
        }

        Query bind(Query q, UUID town) {
            return town == null ? q : q.setParameter("town", town);
        }

        /** The task list's query parameter for this dimension (the drill-down). */
        String param() {
            return switch (dim) {
                case "group" -> "groupId";
                case "town" -> "townId";
                case "village" -> "villageId";
                default -> "star";
            };
        }
    }

    /** The rows of one town, or those of all towns. */
    private static UUID scope(UUID town) {
        return town == null ? UUID.fromString(ALL_TOWNS) : town;
    }

    private static LocalDate date(Object o) {
        return o instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) o;
    }

    private static long n(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
