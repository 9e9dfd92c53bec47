package app.fivestar.task.task;

import app.fivestar.task.catalogue.Star;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import static app.fivestar.task.task.TaskChanges.values;

/** Creates tasks (from a dispatch or a meeting's action item): the row, its journal line and task.assigned.v1. */
@ApplicationScoped
public class TaskFactory {

    @Inject
    TaskChanges changes;

    @Inject
    TaskEvents events;

    @Inject
    Clock clock;

    /** What a new task is made of; ids of town and village may be null. */
    public record Spec(String code, String title, Star star, UUID groupId, UUID assigneeId, UUID townId, UUID villageId,
                       LocalDate dueDate, String week, UUID dispatchId, UUID meetingId, UUID actionItemId) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Task create(Spec spec, UUID actor) {
        Task t = new Task();
        t.id = UUID.randomUUID();
        t.code = spec.code();
        t.title = spec.title();
        t.star = spec.star();
        t.groupId = spec.groupId();
        t.assigneeId = spec.assigneeId();
        t.townId = spec.townId();
        t.villageId = spec.villageId();
        t.dueDate = spec.dueDate();
        t.week = spec.week();
        t.dispatchId = spec.dispatchId();
        t.meetingId = spec.meetingId();
        t.actionItemId = spec.actionItemId();
        t.status = TaskStatus.ASSIGNED;
        t.createdAt = Instant.now(clock);
        t.createdBy = actor;
        changes.stamp(t);
        t.persist();
        changes.journal(t, actor, "create", null, values("status", t.status, "groupId", t.groupId, "assigneeId", t.assigneeId,
                "dueDate", t.dueDate), null);
        events.publish(TaskEvents.ASSIGNED, t, actor);
        return t;
    }
}
