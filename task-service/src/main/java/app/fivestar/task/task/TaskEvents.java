package app.fivestar.task.task;

import app.fivestar.platform.events.Topics;
import app.fivestar.platform.outbox.Outbox;
import app.fivestar.task.directory.WorkingGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;

/**
 * The facts task-service publishes about tasks, on {@code task-events} keyed by task id. Every event carries
 * the task's snapshot (code, title, star, group and its lead, town, village, assignee, due date, week, status)
 * so that consumers act without calling back, plus what is particular to the event.
 */
@ApplicationScoped
public class TaskEvents {

    public static final String ASSIGNED = "task.assigned.v1";

    @Inject
    Outbox outbox;

    public void publish(String type, Task task, UUID actorId, Map<String, Object> extra) {
        WorkingGroup group = WorkingGroup.findById(task.groupId);
        publish(type, task, group == null ? null : group.leadId, actorId, extra);
    }

    /** As {@link #publish(String, Task, UUID, Map)} with the group's lead already known (a change's write returns it). */
    public void publish(String type, Task task, UUID groupLeadId, UUID actorId, Map<String, Object> extra) {
        outbox.publish(Topics.TASK_EVENTS, type, task.id, data(task, groupLeadId, actorId, extra));
    }

    /** The same event for many tasks at once (a large dispatch): each group's lead looked up once. */
    public void publishAll(String type, List<Task> tasks, UUID actorId) {
        Map<UUID, Optional<UUID>> leads = new HashMap<>();
        List<Outbox.Pending> pending = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            UUID lead = leads.computeIfAbsent(t.groupId, id -> Optional.ofNullable(WorkingGroup.<WorkingGroup>findById(id)).map(g -> g.leadId))
                    .orElse(null);
            pending.add(new Outbox.Pending(type, t.id, data(t, lead, actorId, Map.of())));
        }
        outbox.publishAll(Topics.TASK_EVENTS, pending);
    }

    private static Map<String, Object> data(Task task, UUID groupLeadId, UUID actorId, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("taskId", task.id);
        data.put("code", task.code);
        data.put("title", task.title);
        data.put("star", task.star.name());
        data.put("groupId", task.groupId);
        data.put("groupLeadId", groupLeadId);
        data.put("townId", task.townId);
        data.put("villageId", task.villageId);
        data.put("assigneeId", task.assigneeId);
        data.put("dueDate", task.dueDate);
        data.put("week", task.week);
        data.put("status", task.status.name());
        data.put("dispatchId", task.dispatchId);
        data.put("meetingId", task.meetingId);
        data.put("actionItemId", task.actionItemId);
        data.put("actorId", actorId);
        data.putAll(extra);
        return data;
    }

    public void publish(String type, Task task, UUID actorId) {
        publish(type, task, actorId, Map.of());
    }
}
