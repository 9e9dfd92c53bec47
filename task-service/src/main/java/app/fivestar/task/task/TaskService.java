package app.fivestar.task.task;

import app.fivestar.platform.problem.Problems;
import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.WorkingGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Creates and reads tasks; every change commits together with its event. */
@ApplicationScoped
@Transactional
public class TaskService {

    @Inject
    TaskEvents events;

    @Inject
    Clock clock;

    public Task create(NewTask request, UUID createdBy) {
        WorkingGroup group = WorkingGroup.<WorkingGroup>findByIdOptional(request.groupId())
                .orElseThrow(() -> Problems.unprocessable("working group " + request.groupId() + " does not exist")
                        .with("violations", java.util.List.of(java.util.Map.of("field", "groupId", "message", "unknown working group"))));
        if (request.assigneeId() != null) {
            Person assignee = Person.<Person>findByIdOptional(request.assigneeId())
                    .orElseThrow(() -> Problems.unprocessable("person " + request.assigneeId() + " does not exist")
                            .with("violations", java.util.List.of(java.util.Map.of("field", "assigneeId", "message", "unknown person"))));
            if (!group.id.equals(assignee.groupId)) {
                throw Problems.unprocessable("the assignee is not a member of working group " + group.name)
                        .with("violations", java.util.List.of(java.util.Map.of("field", "assigneeId", "message", "not a member of the group")));
            }
        }
        Task task = new Task();
        task.id = UUID.randomUUID();
        task.title = request.title().strip();
        task.groupId = group.id;
        task.assigneeId = request.assigneeId();
        task.dueDate = request.dueDate();
        task.status = TaskStatus.ASSIGNED;
        task.createdAt = Instant.now(clock);
        task.createdBy = createdBy;
        task.persist();
        events.assigned(task, group);
        return task;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Task get(UUID id) {
        return Task.<Task>findByIdOptional(id).orElseThrow(() -> Problems.notFound("task " + id + " does not exist"));
    }
}
