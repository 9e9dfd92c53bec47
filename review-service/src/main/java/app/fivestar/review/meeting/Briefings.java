package app.fivestar.review.meeting;

import app.fivestar.review.places.KnownTown;
import app.fivestar.review.progress.TaskProgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * The brief a meeting starts from, built from review-service's own projection of task-events: per working group
 * and per town, what was dispatched, verified and overdue since the previous meeting of the same kind, and
 * how each action item of that previous meeting went.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class Briefings {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final List<String> DONE = List.of("SUBMITTED", "VERIFIED", "CANCELLED");

    public record Counts(long dispatched, long verified, long overdue) {
    }

    public record ActionItemStatus(UUID actionItemId, String title, UUID groupId, LocalDate dueDate, UUID taskId, String taskStatus, String outcome) {
    }

    public record Briefing(UUID meetingId, UUID previousMeetingId, LocalDate from, LocalDate to, Map<UUID, Counts> byGroup,
                           Map<String, Counts> byTown, List<ActionItemStatus> previousActionItems) {
    }

    public Briefing of(Meeting m) {
        Optional<Meeting> previous = Meeting.<Meeting>find("type = ?1 and date < ?2 and id <> ?3 order by date desc", m.type, m.date, m.id)
                .firstResultOptional();
        LocalDate from = previous.map(p -> p.date).orElse(m.date.minusMonths(1));
        LocalDate to = m.date;
        List<TaskProgress> tasks = TaskProgress.listAll();
        Map<UUID, Counts> byGroup = tally(tasks, t -> t.groupId, from, to);
        Map<UUID, String> townNames = new java.util.HashMap<>();
        KnownTown.<KnownTown>listAll().forEach(t -> townNames.put(t.id, t.name));
        Map<String, Counts> byTown = new TreeMap<>();
        tally(tasks.stream().filter(t -> t.townId != null).toList(), t -> t.townId, from, to)
                .forEach((id, c) -> byTown.put(townNames.getOrDefault(id, id.toString()), c));
        List<ActionItemStatus> items = new ArrayList<>();
        previous.ifPresent(p -> {
            for (ActionItem a : ActionItem.<ActionItem>list("meetingId", p.id)) {
                TaskProgress t = TaskProgress.<TaskProgress>find("actionItemId", a.id).firstResult();
                items.add(new ActionItemStatus(a.id, a.title, a.groupId, a.dueDate, t == null ? null : t.taskId, t == null ? null : t.status,
                        outcome(a, t, to)));
            }
        });
        return new Briefing(m.id, previous.map(p -> p.id).orElse(null), from, to, byGroup, byTown, items);
    }

    /** CARRIED_OUT (verified on time), LATE (verified late, or still open past its due date), OPEN, or NO_TASK_YET. */
    static String outcome(ActionItem a, TaskProgress t, LocalDate asOf) {
        if (t == null) {
            return "NO_TASK_YET";
        }
        if ("VERIFIED".equals(t.status)) {
            return Boolean.FALSE.equals(t.onTime) ? "LATE" : "CARRIED_OUT";
        }
        if ("CANCELLED".equals(t.status)) {
            return "CANCELLED";
        }
        return t.dueDate.isBefore(asOf) ? "LATE" : "OPEN";
    }

    private static Map<UUID, Counts> tally(List<TaskProgress> tasks, Function<TaskProgress, UUID> key, LocalDate from, LocalDate to) {
        Map<UUID, long[]> acc = new java.util.HashMap<>();
        for (TaskProgress t : tasks) {
            long[] c = acc.computeIfAbsent(key.apply(t), k -> new long[3]);
            if (in(t.createdAt, from, to)) {
                c[0]++;
            }
            if (in(t.verifiedAt, from, to)) {
                c[1]++;
            }
            boolean dueInPeriod = t.dueDate.isAfter(from) && !t.dueDate.isAfter(to);
            boolean late = !DONE.contains(t.status) || ("VERIFIED".equals(t.status) && Boolean.FALSE.equals(t.onTime));
            if (dueInPeriod && late) {
                c[2]++;
            }
        }
        Map<UUID, Counts> out = new java.util.LinkedHashMap<>();
        acc.forEach((k, c) -> out.put(k, new Counts(c[0], c[1], c[2])));
        return out;
    }

    private static boolean in(Instant at, LocalDate from, LocalDate to) {
        if (at == null) {
            return false;
        }
        LocalDate d = LocalDate.ofInstant(at, ZONE);
        return d.isAfter(from) && !d.isAfter(to);
    }
}
