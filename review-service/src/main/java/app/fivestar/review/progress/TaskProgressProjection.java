package app.fivestar.review.progress;

import app.fivestar.platform.consumer.EventHandler;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

/** Keeps {@link TaskProgress} up to date from task-events. */
@ApplicationScoped
public class TaskProgressProjection implements EventHandler {

    @Override
    public String topic() {
        return Topics.TASK_EVENTS;
    }

    @Override
    public Set<String> types() {
        return Set.of("task.assigned.v1");
    }

    @Override
    public void handle(CloudEvent event) {
        UUID taskId = UUID.fromString(event.text("taskId"));
        TaskProgress p = TaskProgress.<TaskProgress>findByIdOptional(taskId).orElseGet(TaskProgress::new);
        boolean isNew = p.taskId == null;
        p.taskId = taskId;
        p.title = event.text("title");
        p.star = event.text("star");
        p.groupId = UUID.fromString(event.text("groupId"));
        p.townId = uuid(event.text("townId"));
        p.villageId = uuid(event.text("villageId"));
        p.dueDate = LocalDate.parse(event.text("dueDate"));
        p.status = event.text("status");
        p.meetingId = uuid(event.text("meetingId"));
        p.updatedAt = event.time().toInstant();
        if (isNew) {
            p.persist();
        }
    }

    private static UUID uuid(String text) {
        return text == null ? null : UUID.fromString(text);
    }
}
