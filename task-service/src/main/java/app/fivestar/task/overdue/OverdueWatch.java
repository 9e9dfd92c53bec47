package app.fivestar.task.overdue;

import app.fivestar.platform.worker.Backoff;
import app.fivestar.platform.worker.Worker;
import app.fivestar.platform.worker.Workers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import app.fivestar.platform.locks.ClusterLock;
import app.fivestar.platform.tracing.Tracing;
import app.fivestar.task.catalogue.Star;
import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.WorkingGroup;
import app.fivestar.task.task.ChangeWindow;
import app.fivestar.task.task.Task;
import app.fivestar.task.task.TaskEvents;
import app.fivestar.task.task.TaskLifecycle;
import app.fivestar.task.task.TaskStatus;
import app.fivestar.task.task.TrafficLight;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Watches due dates in Asia/Shanghai time: a task due within the reminder window gets one {@code task.due-soon.v1}
 * per due date (催办); an open task past its due date becomes overdue exactly once ({@code task.overdue.v1}) and
 * then climbs the escalation ladder, one {@code task.escalated.v1} per step. A submit stops the ladder (the task
 * is no longer open); an approved extension restarts it (announcements are per due date). Every announcement
 * is a row in {@code task_signal} written with its event, and the watch runs under an advisory lock, so restarts
 * and several instances never announce twice.
 */
@ApplicationScoped
public class OverdueWatch {

    private static final Logger LOG = Logger.getLogger(OverdueWatch.class);

    @Inject
    EntityManager em;

    @Inject
    TaskEvents events;

    @Inject
    OverdueConfig config;

    @Inject
    TrafficLight lights;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    @Inject
    Tracing tracing;

    @Inject
    Workers workers;

    /** How often the watch runs: a duration such as {@code 1m}, or {@code off} (tests run it by hand). */
    @ConfigProperty(name = "fivestar.overdue.every")
    String every;

    private Worker worker;

    /** The watch is a background worker: a scan every {@code fivestar.overdue.every}; a failed one is retried with backoff. */
    void onStart(@Observes StartupEvent e) {
        worker = workers.create("overdue-watch", new Backoff(java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(1)));
        if (!"off".equalsIgnoreCase(every.strip())) {
            java.time.Duration interval = io.quarkus.runtime.configuration.DurationConverter.parseDuration(every.strip());
            worker.start(() -> {
                scan(Instant.now(clock));
                return false;
            }, interval);
        }
    }

    /** The local stack's demo clock moved (its history being replayed): the watch catches up at once, as that day's scans would have. */
    void clockMoved(@Observes app.fivestar.platform.time.DemoClockResource.Moved moved) {
        scan(moved.now());
    }

    void onStop(@Observes ShutdownEvent e) {
        worker.stop(java.time.Duration.ofSeconds(10));
    }

    public record Result(int dueSoon, int overdue, int escalated) {

        Result plus(Result other) {
            return new Result(dueSoon + other.dueSoon, overdue + other.overdue, escalated + other.escalated);
        }
    }

    /** Where a scan has got to: the last task looked at, in due date and id order. */
    private record Position(LocalDate dueDate, UUID id) {
    }

    private record Batch(Result result, int size, Position last) {
    }

    /** The day this instance last looked at every open task, and the change stamp it had seen by then. */
    private LocalDate fullScanDay;
    private ChangeWindow.Snapshot changesSeen;

    /**
     * Looks at the open tasks that still need an announcement as of {@code now}, a batch per transaction in due date
     * order; answers what it announced. Lights change with the date only at midnight, so the first scan of a day
     * (and the first after a start) looks at every open task, and later scans that day only at tasks changed since
     * (created, extended, reopened): a province with a million overdue tasks is read once a day, not every minute.
     * Stops early when another instance holds the watch, and then looks at everything again next time. A scan is one
     * trace: every event it publishes carries that trace id.
     */
    public synchronized Result scan(Instant now) {
        return tracing.job("overdue-watch scan", () -> scanTraced(now));
    }

    private Result scanTraced(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, TaskLifecycle.CAMPAIGN_ZONE);
        // every change not committed at this look is looked at next time (ChangeWindow)
        ChangeWindow.Snapshot upTo = QuarkusTransaction.requiringNew().call(() -> ChangeWindow.Snapshot.now(em));
        ChangeWindow.Snapshot since = today.equals(fullScanDay) ? changesSeen : null;
        Result total = new Result(0, 0, 0);
        Position after = null;
        boolean complete = true;
        while (true) {
            Position from = after;
            Batch batch = QuarkusTransaction.requiringNew().call(() -> batch(now, since, from));
            if (batch == null) {
                complete = false;
                break;
            }
            total = total.plus(batch.result());
            if (batch.size() < config.batchSize()) {
                break;
            }
            after = batch.last();
        }
        if (complete) {
            fullScanDay = today;
            changesSeen = upTo;
        }
        metrics.counter("fivestar.tasks.overdue").increment(total.overdue());
        metrics.counter("fivestar.tasks.escalated").increment(total.escalated());
        return total;
    }

    /**
     * One batch: the next tasks after {@code after} (changed after the look {@code since}, unless null) with an announcement
     * due, announced; null when the watch is held elsewhere.
     */
    @SuppressWarnings("unchecked")
    private Batch batch(Instant now, ChangeWindow.Snapshot since, Position after) {
        if (!ClusterLock.OVERDUE_WATCH.tryAcquire(em)) {
            return null;
        }
        LocalDate today = LocalDate.ofInstant(now, TaskLifecycle.CAMPAIGN_ZONE);
        var query = em.createNativeQuery("select t.id from task t where t.status not in " + TaskStatus.CLOSED_SQL + " and t.due_date < :soonEnd"
                        // a literal, not a parameter: a generic plan for "change_xid >= ?" walks every open task instead
                        + (since == null ? "" : " and " + ChangeWindow.atOrAfter(since, "t.change_xid"))
                        + (after == null ? "" : " and (t.due_date, t.id) > (:afterDue, :afterId)")
                        + " and ((t.due_date >= :today and not " + signalled("'DUE_SOON'", "0") + ")"
                        + " or (t.due_date < :today and (not " + signalled("'OVERDUE'", "0")
                        + " or exists (select 1 from (values " + ladderRows() + ") l(star, level, days) where l.star = t.star"
                        + " and t.due_date <= cast(:today as date) - l.days and not " + signalled("'ESCALATED'", "l.level") + "))))"
                        + " order by t.due_date, t.id limit :limit")
                .setParameter("soonEnd", today.plusDays(lights.soonDays())).setParameter("today", today)
                .setParameter("limit", config.batchSize());
        if (after != null) {
            query.setParameter("afterDue", after.dueDate()).setParameter("afterId", after.id());
        }
        List<UUID> ids = query.getResultList();
        if (ids.isEmpty()) {
            return new Batch(new Result(0, 0, 0), 0, after);
        }
        List<Task> tasks = Task.<Task>list("id in ?1", ids).stream()
                .sorted(Comparator.comparing((Task t) -> t.dueDate).thenComparing(t -> t.id)).toList();
        Result result = new Result(0, 0, 0);
        for (Task t : tasks) {
            result = result.plus(announce(t, today, now));
        }
        Task last = tasks.get(tasks.size() - 1);
        return new Batch(result, ids.size(), new Position(last.dueDate, last.id));
    }

    /** Whether the task already has this announcement for its current due date (SQL over task t). */
    private static String signalled(String kind, String level) {
        return "exists (select 1 from task_signal s where s.task_id = t.id and s.kind = " + kind + " and s.due_date = t.due_date and s.level = " + level + ")";
    }

    /** The ladders as SQL rows (star, level, days overdue), per star its own or the default. */
    private String ladderRows() {
        StringBuilder rows = new StringBuilder();
        for (Star star : Star.values()) {
            List<Integer> ladder = Ladder.of(config, star.name()).days();
            for (int level = 1; level <= ladder.size(); level++) {
                rows.append(rows.isEmpty() ? "" : ", ").append("('").append(star.name()).append("', ").append(level).append(", ")
                        .append(ladder.get(level - 1).intValue()).append(")");
            }
        }
        return rows.isEmpty() ? "(null, 0, 0)" : rows.toString();
    }

    /** What one task is owed today: a reminder, or being overdue and the ladder steps it has reached. */
    private Result announce(Task t, LocalDate today, Instant now) {
        if (!t.dueDate.isBefore(today)) {
            if (signal(t, "DUE_SOON", 0, now)) {
                events.publish("task.due-soon.v1", t, null, Map.of("daysLeft", (int) ChronoUnit.DAYS.between(today, t.dueDate)));
                return new Result(1, 0, 0);
            }
            return new Result(0, 0, 0);
        }
        int overdue = 0;
        int escalated = 0;
        int daysOverdue = (int) ChronoUnit.DAYS.between(t.dueDate, today);
        if (signal(t, "OVERDUE", 0, now)) {
            events.publish("task.overdue.v1", t, null, Map.of("daysOverdue", daysOverdue));
            overdue++;
        }
        for (int level : Ladder.of(config, t.star.name()).levelsReached(daysOverdue)) {
            UUID target = target(t, level);
            if (target == null) {
                LOG.warnf("task %s: nobody to escalate to at level %d", t.id, level);
            } else if (signal(t, "ESCALATED", level, now)) {
                events.publish("task.escalated.v1", t, null, Map.of("level", level, "targetPersonId", target, "daysOverdue", daysOverdue));
                escalated++;
            }
        }
        return new Result(0, overdue, escalated);
    }

    /** Records an announcement; false when it was already made. */
    private boolean signal(Task t, String kind, int level, Instant now) {
        return em.createNativeQuery("insert into task_signal (task_id, kind, due_date, level, created_at) values (?1, ?2, ?3, ?4, ?5) "
                        + "on conflict do nothing")
                .setParameter(1, t.id).setParameter(2, kind).setParameter(3, t.dueDate).setParameter(4, level).setParameter(5, now)
                .executeUpdate() == 1;
    }

    /** Who a task at {@code level} of the ladder is escalated to: the group lead, the group's patron, then the district secretary. */
    UUID target(Task t, int level) {
        WorkingGroup group = WorkingGroup.findById(t.groupId);
        return switch (level) {
            case 1 -> group == null ? null : group.leadId;
            case 2 -> group == null ? null : group.patronId;
            default -> config.districtSecretary().flatMap(Person::byUsername).map(p -> p.id).orElse(null);
        };
    }
}
