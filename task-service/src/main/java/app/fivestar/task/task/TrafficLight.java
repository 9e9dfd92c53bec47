package app.fivestar.task.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The campaign's day (Asia/Shanghai) and the light a task shows on it: red when open past its due date, yellow when
 * open and due within the due-soon window or returned at least once, green otherwise; a cancelled task has none.
 * The dashboard's read model (migration V4, dashboard_count_sql) counts by the same rule.
 */
@ApplicationScoped
public class TrafficLight {

    public enum Color { GREEN, YELLOW, RED }

    @Inject
    Clock clock;

    /** The due-soon window, read from the overdue watch's setting so reminders (催办) and yellow agree. */
    @ConfigProperty(name = "fivestar.overdue.due-soon-days", defaultValue = "1")
    int dueSoonDays;

    public LocalDate today() {
        return LocalDate.now(clock.withZone(TaskLifecycle.CAMPAIGN_ZONE));
    }

    /** Days from today (today included) in which an open task counts as due soon; at least one. */
    public int soonDays() {
        return Math.max(1, dueSoonDays);
    }

    public Color of(Task t, LocalDate today) {
        return color(t.status, t.dueDate, t.returnedCount, today, soonDays());
    }

    /**
     * The rule itself (the one definition; migration V4's counters spell it in SQL and TaskRulesSqlTest holds the
     * two together): none when cancelled, green when otherwise closed, red when open past its due date, yellow when
     * open and due within {@code soonDays} days from today (today included) or returned at least once.
     */
    public static Color color(TaskStatus status, LocalDate dueDate, int returnedCount, LocalDate today, int soonDays) {
        if (status == TaskStatus.CANCELLED) {
            return null;
        }
        if (!status.isOpen()) {
            return Color.GREEN;
        }
        if (dueDate.isBefore(today)) {
            return Color.RED;
        }
        return dueDate.isBefore(today.plusDays(soonDays)) || returnedCount > 0 ? Color.YELLOW : Color.GREEN;
    }

    /** 按时办结: submitted on or before the due date, as the campaign's calendar (Asia/Shanghai) counts days. */
    public static boolean onTime(Instant submittedAt, LocalDate dueDate) {
        return !submittedAt.atZone(TaskLifecycle.CAMPAIGN_ZONE).toLocalDate().isAfter(dueDate);
    }

    /** What clients see of a task today. */
    public TaskView view(Task t, LocalDate today) {
        return TaskView.of(t, today, of(t, today));
    }
}
