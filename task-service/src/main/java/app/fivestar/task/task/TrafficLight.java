package app.fivestar.task.task;

import app.fivestar.task.overdue.OverdueConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
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

    @Inject
    OverdueConfig overdue;

    public LocalDate today() {
        return LocalDate.now(clock.withZone(TaskLifecycle.CAMPAIGN_ZONE));
    }

    /** Days from today (today included) in which an open task counts as due soon; at least one. */
    public int soonDays() {
        return Math.max(1, overdue.dueSoonDays());
    }

    public Color of(Task t, LocalDate today) {
        if (t.status == TaskStatus.CANCELLED) {
            return null;
        }
        if (!t.status.isOpen()) {
            return Color.GREEN;
        }
        if (t.dueDate.isBefore(today)) {
            return Color.RED;
        }
        return t.dueDate.isBefore(today.plusDays(soonDays())) || t.returnedCount > 0 ? Color.YELLOW : Color.GREEN;
    }

    /** What clients see of a task today. */
    public TaskView view(Task t, LocalDate today) {
        return TaskView.of(t, today, of(t, today));
    }
}
