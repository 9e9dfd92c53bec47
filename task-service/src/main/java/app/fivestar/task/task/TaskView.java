package app.fivestar.task.task;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A task as clients see it. */
public record TaskView(UUID id, String title, UUID groupId, UUID assigneeId, LocalDate dueDate, TaskStatus status,
                       long version, Instant createdAt) {

    static TaskView of(Task t) {
        return new TaskView(t.id, t.title, t.groupId, t.assigneeId, t.dueDate, t.status, t.version, t.createdAt);
    }

    /** The entity tag clients send back in {@code If-Match}. */
    public String etag() {
        return id + "-" + version;
    }
}
