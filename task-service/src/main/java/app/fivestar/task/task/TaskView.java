package app.fivestar.task.task;

import app.fivestar.task.catalogue.Star;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A task as clients see it, with whether it is overdue, its traffic light (null when cancelled) and which moves it allows now. */
public record TaskView(UUID id, String code, String title, Star star, UUID groupId, UUID assigneeId, UUID townId,
                       UUID villageId, UUID dispatchId, String week, UUID meetingId, LocalDate dueDate, TaskStatus status,
                       boolean overdue, TrafficLight.Color light, String note, int returnedCount, Instant submittedAt, Instant verifiedAt,
                       Instant createdAt, Instant updatedAt, long version, List<String> allowedTransitions) {

    static TaskView of(Task t, LocalDate today, TrafficLight.Color light) {
        return new TaskView(t.id, t.code, t.title, t.star, t.groupId, t.assigneeId, t.townId, t.villageId, t.dispatchId,
                t.week, t.meetingId, t.dueDate, t.status, t.status.isOpen() && t.dueDate.isBefore(today), light, t.note,
                t.returnedCount, t.submittedAt, t.verifiedAt, t.createdAt, t.updatedAt, t.version, Transition.allowedFrom(t.status));
    }
}
