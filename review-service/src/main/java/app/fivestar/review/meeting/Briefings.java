package app.fivestar.review.meeting;

import app.fivestar.platform.words.Labels;
import app.fivestar.review.directory.KnownGroup;
import app.fivestar.review.places.KnownTown;
import app.fivestar.review.progress.TaskProgress;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The brief a meeting starts from, built from review-service's own projection of task-events: per working group
 * and per town, what was dispatched, verified and overdue in the window, and how each action item of the previous
 * meeting of the same kind went.
 * <p>
 * The window runs from the previous meeting's date to this meeting's date, both days included (a task dispatched
 * at the previous meeting counts), Beijing dates. "Overdue" is task-service's definition: still open (not
 * submitted, verified or cancelled) with its due date passed — here, of the tasks due in the window. Every known
 * group and town is listed, with zeros where it had nothing. Counted in the database, one query per dimension.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class Briefings {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final List<String> CLOSED = List.of("SUBMITTED", "VERIFIED", "CANCELLED");

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    public record Counts(long dispatched, long verified, long overdue) {
        static final Counts ZERO = new Counts(0, 0, 0);
    }

    public record ActionItemStatus(UUID actionItemId, String title, UUID groupId, String groupName, LocalDate dueDate, UUID taskId,
                                   String taskStatus, String outcome, String outcomeLabel) {
    }

    public record Briefing(UUID meetingId, UUID previousMeetingId, LocalDate from, LocalDate to, Map<String, Counts> byGroup,
                           Map<String, Counts> byTown, List<ActionItemStatus> previousActionItems) {
    }

    public Briefing of(Meeting m) {
        Optional<Meeting> previous = previous(m);
        LocalDate from = previous.map(p -> p.date).orElse(m.date.minusMonths(1));
        LocalDate to = m.date;
        Map<UUID, String> groupNames = new LinkedHashMap<>();
        KnownGroup.<KnownGroup>listAll(Sort.by("code")).forEach(g -> groupNames.put(g.id, g.name));
        Map<UUID, String> townNames = new LinkedHashMap<>();
        KnownTown.<KnownTown>listAll(Sort.by("code")).forEach(t -> townNames.put(t.id, t.name));
        Map<String, Counts> byGroup = named(count("group_id", from, to), groupNames);
        Map<String, Counts> byTown = named(count("town_id", from, to), townNames);
        List<ActionItemStatus> items = new ArrayList<>();
        previous.ifPresent(p -> {
            for (ActionItem a : ActionItem.<ActionItem>list("meetingId", Sort.by("title"), p.id)) {
                TaskProgress t = TaskProgress.<TaskProgress>find("actionItemId", a.id).firstResult();
                String outcome = outcome(a, t, today());
                items.add(new ActionItemStatus(a.id, a.title, a.groupId, groupNames.get(a.groupId), a.dueDate, t == null ? null : t.taskId,
                        t == null ? null : t.status, outcome, Labels.outcome(outcome)));
            }
        });
        return new Briefing(m.id, previous.map(p -> p.id).orElse(null), from, to, byGroup, byTown, items);
    }

    /** The meeting of the same kind before this one: an earlier date, or the same date and called earlier. */
    static Optional<Meeting> previous(Meeting m) {
        return Meeting.<Meeting>find("type = ?1 and id <> ?2 and (date < ?3 or (date = ?3 and createdAt < ?4)) order by date desc, createdAt desc",
                m.type, m.id, m.date, m.createdAt).firstResultOptional();
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZONE));
    }

    /** CARRIED_OUT (verified on time), LATE (verified late, or still open past its due date), OPEN, CANCELLED or NO_TASK_YET. */
    static String outcome(ActionItem a, TaskProgress t, LocalDate today) {
        if (t == null) {
            return "NO_TASK_YET";
        }
        if ("VERIFIED".equals(t.status)) {
            return Boolean.FALSE.equals(t.onTime) ? "LATE" : "CARRIED_OUT";
        }
        if ("CANCELLED".equals(t.status)) {
            return "CANCELLED";
        }
        return t.dueDate.isBefore(today) ? "LATE" : "OPEN";
    }

    @SuppressWarnings("unchecked")
    private Map<UUID, Counts> count(String column, LocalDate from, LocalDate to) {
        Instant start = from.atStartOfDay(ZONE).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZONE).toInstant();
        String overdue = "due_date between ?3 and ?4 and due_date < ?5 and status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED')";
        List<Object[]> rows = em.createNativeQuery("select " + column + ", "
                        + "count(*) filter (where created_at >= ?1 and created_at < ?2), "
                        + "count(*) filter (where verified_at >= ?1 and verified_at < ?2), "
                        + "count(*) filter (where " + overdue + ") "
                        + "from task_progress where " + column + " is not null and ((created_at >= ?1 and created_at < ?2) "
                        + "or (verified_at >= ?1 and verified_at < ?2) or (" + overdue + ")) group by " + column)
                .setParameter(1, start).setParameter(2, end).setParameter(3, from).setParameter(4, to).setParameter(5, today())
                .getResultList();
        Map<UUID, Counts> out = new HashMap<>();
        for (Object[] r : rows) {
            out.put((UUID) r[0], new Counts(((Number) r[1]).longValue(), ((Number) r[2]).longValue(), ((Number) r[3]).longValue()));
        }
        return out;
    }

    /** Every known unit by name, in code order, with zeros where it had nothing; units not (yet) known by their id. */
    private static Map<String, Counts> named(Map<UUID, Counts> counts, Map<UUID, String> names) {
        Map<String, Counts> out = new LinkedHashMap<>();
        names.forEach((id, name) -> out.put(name, counts.getOrDefault(id, Counts.ZERO)));
        counts.forEach((id, c) -> {
            if (!names.containsKey(id)) {
                out.put(id.toString(), c);
            }
        });
        return out;
    }
}
