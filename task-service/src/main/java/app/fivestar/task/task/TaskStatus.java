package app.fivestar.task.task;

import java.util.EnumSet;
import java.util.Set;

/** Where a task stands: 交办 → 签收 → 办理中 → 办结 → 销号 (or 退回 / 取消). */
public enum TaskStatus {
    ASSIGNED, ACCEPTED, IN_PROGRESS, SUBMITTED, VERIFIED, RETURNED, CANCELLED;

    /** The one definition of closed: nothing left for the assignee to do, so the due date no longer matters. */
    private static final Set<TaskStatus> CLOSED = EnumSet.of(SUBMITTED, VERIFIED, CANCELLED);

    /**
     * The closed statuses as SQL ({@code status not in ...}), spelled as the partial indexes on open tasks are
     * (migrations V2, V4), so that the planner uses them; TaskRulesSqlTest checks every migration spells it so.
     */
    public static final String CLOSED_SQL = CLOSED.stream().map(s -> "'" + s.name() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    /** Still work to do: the due date matters. */
    public boolean isOpen() {
        return !CLOSED.contains(this);
    }

    public static Set<TaskStatus> open() {
        return EnumSet.complementOf(EnumSet.copyOf(CLOSED));
    }
}
