package app.fivestar.task.task;

import java.util.EnumSet;
import java.util.Set;

/** Where a task stands: 交办 → 签收 → 办理中 → 办结 → 销号 (or 退回 / 取消). */
public enum TaskStatus {
    ASSIGNED, ACCEPTED, IN_PROGRESS, SUBMITTED, VERIFIED, RETURNED, CANCELLED;

    /** Still work to do: the due date matters. */
    public boolean isOpen() {
        return this != SUBMITTED && this != VERIFIED && this != CANCELLED;
    }

    public static Set<TaskStatus> open() {
        return EnumSet.of(ASSIGNED, ACCEPTED, IN_PROGRESS, RETURNED);
    }
}
