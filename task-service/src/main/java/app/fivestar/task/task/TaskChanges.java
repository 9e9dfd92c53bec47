package app.fivestar.task.task;

import app.fivestar.platform.locks.ClusterLock;
import app.fivestar.platform.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Records that a task changed: stamps its place in the global change order (what phones sync by), writes the
 * journal line and remembers when a task left someone's list.
 *
 * <p>Change stamps are taken under a transaction-scoped advisory lock, so stamps become visible in the order
 * they were taken: a phone that synced up to stamp N never misses a change stamped N-1 committed later.
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
        ClusterLock.TASK_CHANGE_STAMP.acquire(em);
        task.changeSeq = ((Number) em.createNativeQuery("select nextval('task_change_seq')").getSingleResult()).longValue();
        task.updatedAt = Instant.now(clock);
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
        em.createNativeQuery("insert into task_departure (person_id, task_id, change_seq) values (?1, ?2, ?3) "
                        + "on conflict (person_id, task_id) do update set change_seq = excluded.change_seq")
                .setParameter(1, personId).setParameter(2, task.id).setParameter(3, task.changeSeq).executeUpdate();
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
