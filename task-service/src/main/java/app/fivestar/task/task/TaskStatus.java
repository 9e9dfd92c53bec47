package app.fivestar.task.task;

/** Where a task stands: 交办 → 签收 → 办理中 → 办结 → 销号 (or 退回 / 取消). */
public enum TaskStatus {
    ASSIGNED, ACCEPTED, IN_PROGRESS, SUBMITTED, VERIFIED, RETURNED, CANCELLED
}
