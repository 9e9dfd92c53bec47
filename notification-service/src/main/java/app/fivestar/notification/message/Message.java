package app.fivestar.notification.message;

/** The words a person reads, in Chinese, with a link (path) to the task or meeting. */
public record Message(NotificationKind kind, String title, String body, String link) {
}
