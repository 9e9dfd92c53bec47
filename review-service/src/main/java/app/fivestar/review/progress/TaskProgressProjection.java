package app.fivestar.review.progress;

import app.fivestar.platform.consumer.EventHandler;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps {@link TaskProgress} up to date from every task event. Events of one task arrive in order (key = task
 * id); an older event never overwrites a newer state ({@code updatedAt} guards it).
 */
@ApplicationScoped
public class TaskProgressProjection implements EventHandler {

    @Override
    public String topic() {
        return Topics.TASK_EVENTS;
    }

    @Override
    public Set<String> types() {
        return Set.of("task.assigned.v1", "task.accepted.v1", "task.started.v1", "task.submitted.v1", "task.verified.v1",
                "task.returned.v1", "task.cancelled.v1", "task.due-date-changed.v1", "task.overdue.v1");
    }

    @Override
    public void handle(CloudEvent event) {
        UUID taskId = UUID.fromString(event.text("taskId"));
        TaskProgress p = TaskProgress.<TaskProgress>findByIdOptional(taskId).orElseGet(TaskProgress::new);
        boolean isNew = p.taskId == null;
        if (!isNew && p.updatedAt != null && event.time().toInstant().isBefore(p.updatedAt)) {
            return;
        }
        p.taskId = taskId;
        p.code = event.text("code");
        p.title = event.text("title");
        p.star = event.text("star");
        p.groupId = UUID.fromString(event.text("groupId"));
        p.townId = uuid(event.text("townId"));
        p.villageId = uuid(event.text("villageId"));
        p.assigneeId = uuid(event.text("assigneeId"));
        p.dueDate = LocalDate.parse(event.text("dueDate"));
        p.status = event.text("status");
        p.meetingId = uuid(event.text("meetingId"));
        p.actionItemId = uuid(event.text("actionItemId"));
        if (isNew) {
            p.createdAt = event.time().toInstant();
        }
        switch (event.type()) {
            case "task.verified.v1" -> {
                p.verifiedAt = event.time().toInstant();
                p.onTime = event.data().path("onTime").asBoolean(true);
            }
            case "task.returned.v1" -> {
                p.verifiedAt = null;
                p.onTime = null;
            }
            case "task.overdue.v1" -> p.overdueSince = event.time().toInstant();
            default -> { }
        }
        p.updatedAt = event.time().toInstant();
        if (isNew) {
            p.persist();
        }
    }

    private static UUID uuid(String text) {
        return text == null ? null : UUID.fromString(text);
    }
}
