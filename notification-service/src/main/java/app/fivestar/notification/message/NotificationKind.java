package app.fivestar.notification.message;

/** What a notification is about; preferences choose channels per kind. Only escalations ignore quiet hours. */
public enum NotificationKind {
    TASK_ASSIGNED, TASK_DUE_SOON, TASK_OVERDUE, TASK_ESCALATED, TASK_SUBMITTED, TASK_RETURNED,
    ACTION_ITEM, RANKING_PUBLISHED, STATEMENT_REQUIRED;

    public boolean urgent() {
        return this == TASK_ESCALATED;
    }
}
