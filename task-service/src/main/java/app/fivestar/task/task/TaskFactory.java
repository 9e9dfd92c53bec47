package app.fivestar.task.task;

import app.fivestar.platform.sql.BulkInsert;
import app.fivestar.task.catalogue.Star;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntConsumer;

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
        return createAll(List.of(spec), actor, created -> { }).get(0);
    }

    /** Tasks per step of {@link #createAll}: the rows, journal lines and events of a step are written a few statements at a time. */
    static final int STEP = 2_000;

    private static final List<BulkInsert.Column> COLUMNS = List.of(BulkInsert.Column.of("id", "uuid"), BulkInsert.Column.of("code", "text"),
            BulkInsert.Column.of("title", "text"), BulkInsert.Column.of("star", "text"), BulkInsert.Column.of("group_id", "uuid"),
            BulkInsert.Column.of("assignee_id", "uuid"), BulkInsert.Column.of("town_id", "uuid"), BulkInsert.Column.of("village_id", "uuid"),
            BulkInsert.Column.of("dispatch_id", "uuid"), BulkInsert.Column.of("week", "text"), BulkInsert.Column.of("meeting_id", "uuid"),
            BulkInsert.Column.of("action_item_id", "uuid"), BulkInsert.Column.of("due_date", "date"), BulkInsert.Column.of("status", "text"),
            BulkInsert.Column.of("version", "bigint"), BulkInsert.Column.of("created_at", "timestamptz"), BulkInsert.Column.of("created_by", "uuid"),
            BulkInsert.Column.of("updated_at", "timestamptz"), BulkInsert.Column.of("change_seq", "bigint"), BulkInsert.Column.of("change_xid", "bigint"));

    /**
     * Creates tasks in the caller's transaction, set-based: per step of {@value #STEP}, one stamp query, the rows, the
     * journal lines and the task.assigned.v1 events each in one statement; {@code progress} hears the count created so
     * far after each step. The tasks answered are not managed by the persistence context (find them again to change them).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Task> createAll(List<Spec> specs, UUID actor, IntConsumer progress) {
        List<Task> created = new ArrayList<>(specs.size());
        for (int from = 0; from < specs.size(); from += STEP) {
            List<Task> step = new ArrayList<>();
            Instant now = Instant.now(clock);
            for (Spec spec : specs.subList(from, Math.min(specs.size(), from + STEP))) {
                step.add(task(spec, actor, now));
            }
            changes.stampAll(step);
            List<Object[]> rows = new ArrayList<>(step.size());
            for (Task t : step) {
                rows.add(new Object[] {t.id, t.code, t.title, t.star, t.groupId, t.assigneeId, t.townId, t.villageId, t.dispatchId, t.week,
                        t.meetingId, t.actionItemId, t.dueDate, t.status, t.version, t.createdAt, t.createdBy, t.updatedAt, t.changeSeq, t.changeXid});
            }
            BulkInsert.insert(Task.getEntityManager(), "task", COLUMNS, rows);
            changes.journalCreated(step, actor, t -> values("status", t.status, "groupId", t.groupId, "assigneeId", t.assigneeId,
                    "dueDate", t.dueDate));
            events.publishAll(TaskEvents.ASSIGNED, step, actor);
            created.addAll(step);
            progress.accept(created.size());
        }
        return created;
    }

    private static Task task(Spec spec, UUID actor, Instant now) {
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
        t.createdAt = now;
        t.createdBy = actor;
        return t;
    }
}
