package app.fivestar.task.task;

import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.sql.BulkInsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records that a task changed: stamps its place in the global change order (what phones sync by), writes the
 * journal line and remembers when a task left someone's list.
 *
 * <p>A stamp is a number from a sequence (the order of changes within one sync answer) and the id of the writing
 * transaction (what readers find unseen changes by, see {@link ChangeWindow}): no lock, so task writes across the
 * district do not wait for each other.
 */
@ApplicationScoped
public class TaskChanges {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    RequestClient client;

    /** Stamps the change and writes its journal line. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Task task, UUID actorId, String action, Map<String, Object> before, Map<String, Object> after, String note) {
        stamp(task);
        journal(task, actorId, action, before, after, note);
    }

    /** Gives the task its place in the change order and its update time. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void stamp(Task task) {
        stampAll(List.of(task));
    }

    /** Stamps many tasks with one query (a large dispatch). */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public void stampAll(List<Task> tasks) {
        // COMMIT: this query must not flush the change being stamped first (that would write the task row twice)
        List<Object[]> stamps = em.createNativeQuery("select nextval('task_change_seq'), cast(cast(pg_current_xact_id() as text) as bigint) "
                + "from generate_series(1, ?1)").setParameter(1, tasks.size()).setFlushMode(jakarta.persistence.FlushModeType.COMMIT).getResultList();
        Instant now = Instant.now(clock);
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            task.changeSeq = ((Number) stamps.get(i)[0]).longValue();
            task.changeXid = ((Number) stamps.get(i)[1]).longValue();
            task.updatedAt = now;
        }
    }

    private static final List<BulkInsert.Column> JOURNAL = List.of(BulkInsert.Column.of("task_id", "uuid"), BulkInsert.Column.of("at", "timestamptz"),
            BulkInsert.Column.of("actor_id", "uuid"), BulkInsert.Column.of("action", "text"), BulkInsert.Column.of("client", "text"),
            BulkInsert.Column.of("new_values", "text"));

    /** The journal lines of many tasks created at once: action, the values each was created with (a large dispatch). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void journalCreated(List<Task> tasks, UUID actorId, java.util.function.Function<Task, Map<String, Object>> values) {
        String by = client.describe();
        List<Object[]> rows = new java.util.ArrayList<>(tasks.size());
        for (Task t : tasks) {
            rows.add(new Object[] {t.id, t.updatedAt, actorId, "create", by, EventCodec.encodeJson(values.apply(t))});
        }
        BulkInsert.insert(em, "task_journal", JOURNAL, rows);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void journal(Task task, UUID actorId, String action, Map<String, Object> before, Map<String, Object> after, String note) {
        JournalEntry entry = new JournalEntry();
        entry.taskId = task.id;
        entry.at = task.updatedAt;
        entry.actorId = actorId;
        entry.action = action;
        entry.client = client.describe();
        entry.oldValues = before == null || before.isEmpty() ? null : EventCodec.encodeJson(before);
        entry.newValues = after == null || after.isEmpty() ? null : EventCodec.encodeJson(after);
        entry.note = note;
        entry.persist();
    }

    /** The task is no longer on {@code personId}'s list (it went to someone else). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void departed(Task task, UUID personId) {
        em.createNativeQuery("insert into task_departure (person_id, task_id, change_seq, change_xid) values (?1, ?2, ?3, ?4) "
                        + "on conflict (person_id, task_id) do update set change_seq = excluded.change_seq, change_xid = excluded.change_xid")
                .setParameter(1, personId).setParameter(2, task.id).setParameter(3, task.changeSeq).setParameter(4, task.changeXid)
                .executeUpdate();
    }

    /** Clears a departure when the task comes back to the person. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void arrived(Task task, UUID personId) {
        em.createNativeQuery("delete from task_departure where person_id = ?1 and task_id = ?2")
                .setParameter(1, personId).setParameter(2, task.id).executeUpdate();
    }

    public static Map<String, Object> values(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1] == null ? null : pairs[i + 1].toString());
        }
        return map;
    }
}
