package app.fivestar.task.task;

import java.util.EnumSet;
import java.util.Set;

/** Where a task stands: 交办 → 签收 → 办理中 → 办结 → 销号 (or 退回 / 取消). */
public enum TaskStatus {
    ASSIGNED, ACCEPTED, IN_PROGRESS, SUBMITTED, VERIFIED, RETURNED, CANCELLED;

    /**
     * The closed statuses as SQL ({@code status not in ...}), spelled as the partial indexes on open tasks are
     * (migrations V2, V4), so that the planner uses them.
     */
    public static final String CLOSED_SQL = "('SUBMITTED', 'VERIFIED', 'CANCELLED')";

    /** Still work to do: the due date matters. */
    public boolean isOpen() {
        return this != SUBMITTED && this != VERIFIED && this != CANCELLED;
    }

    public static Set<TaskStatus> open() {
        return EnumSet.of(ASSIGNED, ACCEPTED, IN_PROGRESS, RETURNED);
    }
}
