package app.fivestar.notification.inbox;

import app.fivestar.platform.consumer.EventHandler;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** task.assigned.v1 → a message in the assignee's inbox. */
@ApplicationScoped
public class TaskAssignedHandler implements EventHandler {

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
        String assignee = event.text("assigneeId");
        if (assignee == null) {
            return; // group-wide routing arrives with the routing rules
        }
        Notification n = new Notification();
        n.id = UUID.randomUUID();
        n.recipientId = UUID.fromString(assignee);
        n.kind = "TASK_ASSIGNED";
        n.title = "新任务：" + event.text("title");
        n.body = "您有一项新交办任务「" + event.text("title") + "」，请于 " + event.text("dueDate") + " 前办结。";
        n.link = "/api/v1/tasks/" + event.text("taskId");
        n.eventId = event.id();
        n.eventTime = event.time().toInstant();
        n.createdAt = Instant.now();
        n.persist();
    }
}
