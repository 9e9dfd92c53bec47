package app.fivestar.task.task;

import app.fivestar.platform.events.Topics;
import app.fivestar.platform.outbox.Outbox;
import app.fivestar.task.directory.WorkingGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.LocalDate;
import java.util.UUID;

/** The facts task-service publishes about tasks, on {@code task-events} keyed by task id. */
@ApplicationScoped
public class TaskEvents {

    public static final String ASSIGNED = "task.assigned.v1";

    @Inject
    Outbox outbox;

    public void assigned(Task task, WorkingGroup group) {
        outbox.publish(Topics.TASK_EVENTS, ASSIGNED, task.id, new Assigned(task.id, null, task.title, group.star,
                task.groupId, group.leadId, null, null, task.assigneeId, task.dueDate, null, task.status.name(), null));
    }

    /** Data of {@code task.assigned.v1} (contracts/events/task.assigned.v1.schema.json). */
    public record Assigned(UUID taskId, String code, String title, String star, UUID groupId, UUID groupLeadId,
                           UUID townId, UUID villageId, UUID assigneeId, LocalDate dueDate, String week, String status,
                           UUID meetingId) {
    }
}
