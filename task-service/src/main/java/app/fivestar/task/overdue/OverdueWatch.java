package app.fivestar.task.overdue;

import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.WorkingGroup;
import app.fivestar.task.task.Task;
import app.fivestar.task.task.TaskEvents;
import app.fivestar.task.task.TaskLifecycle;
import app.fivestar.task.task.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
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
    private static final long WATCH_LOCK = 0x0DE0_0D0EL;

    @Inject
    EntityManager em;

    @Inject
    TaskEvents events;

    @Inject
    OverdueConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    @Scheduled(every = "{fivestar.overdue.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        scan(Instant.now(clock));
    }

    public record Result(int dueSoon, int overdue, int escalated) {
    }

    /** Looks at every open task as of {@code now}; answers what it announced. */
    @Transactional
    public Result scan(Instant now) {
        Object locked = em.createNativeQuery("select pg_try_advisory_xact_lock(?1)").setParameter(1, WATCH_LOCK).getSingleResult();
        if (!Boolean.TRUE.equals(locked)) {
            return new Result(0, 0, 0);
        }
        LocalDate today = LocalDate.ofInstant(now, TaskLifecycle.CAMPAIGN_ZONE);
        List<Task> open = Task.list("status in ?1 and dueDate <= ?2", TaskStatus.open(), today.plusDays(Math.max(0, config.dueSoonDays() - 1)));
        int dueSoon = 0;
        int overdue = 0;
        int escalated = 0;
        for (Task t : open) {
            if (!t.dueDate.isBefore(today)) {
                if (signal(t, "DUE_SOON", 0, now)) {
                    events.publish("task.due-soon.v1", t, null, Map.of("daysLeft", (int) ChronoUnit.DAYS.between(today, t.dueDate)));
                    dueSoon++;
                }
                continue;
            }
            int daysOverdue = (int) ChronoUnit.DAYS.between(t.dueDate, today);
            if (signal(t, "OVERDUE", 0, now)) {
                events.publish("task.overdue.v1", t, null, Map.of("daysOverdue", daysOverdue));
                overdue++;
            }
            List<Integer> ladder = config.ladders().getOrDefault(t.star.name(), config.ladder());
            for (int level = 1; level <= ladder.size(); level++) {
                if (daysOverdue >= ladder.get(level - 1)) {
                    UUID target = target(t, level);
                    if (target == null) {
                        LOG.warnf("task %s: nobody to escalate to at level %d", t.id, level);
                    } else if (signal(t, "ESCALATED", level, now)) {
                        events.publish("task.escalated.v1", t, null, Map.of("level", level, "targetPersonId", target, "daysOverdue", daysOverdue));
                        escalated++;
                    }
                }
            }
        }
        metrics.counter("fivestar.tasks.overdue").increment(overdue);
        metrics.counter("fivestar.tasks.escalated").increment(escalated);
        return new Result(dueSoon, overdue, escalated);
    }

    /** Records an announcement; false when it was already made. */
    private boolean signal(Task t, String kind, int level, Instant now) {
        return em.createNativeQuery("insert into task_signal (task_id, kind, due_date, level, created_at) values (?1, ?2, ?3, ?4, ?5) "
                        + "on conflict do nothing")
                .setParameter(1, t.id).setParameter(2, kind).setParameter(3, t.dueDate).setParameter(4, level).setParameter(5, now)
                .executeUpdate() == 1;
    }

    private UUID target(Task t, int level) {
        WorkingGroup group = WorkingGroup.findById(t.groupId);
        return switch (level) {
            case 1 -> group == null ? null : group.leadId;
            case 2 -> group == null ? null : group.patronId;
            default -> Person.byUsername(config.districtSecretary()).map(p -> p.id).orElse(null);
        };
    }
}
