package app.fivestar.task.task;

import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.sql.BulkInsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

    /**
     * Writes a change of the task: its state as the caller left it in memory, a new version and stamp, and its journal
     * line — one statement, returning the stamp and the group's lead (what the change's event names). The row is
     * written only if nobody changed it since it was read ({@code version}); otherwise a 409 and nothing is written.
     * The ORM never writes a task's change: a task it holds is detached first, so a flush does not write it again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Recorded record(Task task, UUID actorId, String action, Map<String, Object> before, Map<String, Object> after, String note) {
        if (em.contains(task)) {
            em.detach(task);
        }
        Instant now = Instant.now(clock);
        String client = this.client.describe();
        Object[] row = em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(WRITE)) {
                int i = 0;
                ps.setString(++i, task.status.name());
                ps.setObject(++i, task.assigneeId);
                ps.setString(++i, task.note);
                ps.setInt(++i, task.returnedCount);
                ps.setObject(++i, utc(task.submittedAt));
                ps.setObject(++i, utc(task.verifiedAt));
                ps.setObject(++i, task.dueDate);
                ps.setObject(++i, utc(now));
                ps.setObject(++i, task.id);
                ps.setLong(++i, task.version);
                ps.setObject(++i, actorId);
                ps.setString(++i, action);
                ps.setString(++i, client);
                ps.setString(++i, before == null || before.isEmpty() ? null : EventCodec.encodeJson(before));
                ps.setString(++i, after == null || after.isEmpty() ? null : EventCodec.encodeJson(after));
                ps.setString(++i, note);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Object[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getObject(4, UUID.class)} : null;
                }
            }
        });
        if (row == null) {
            throw Problems.conflict("数据已被他人同时修改，请刷新后重试");
        }
        task.version = (Long) row[0];
        task.changeSeq = (Long) row[1];
        task.changeXid = (Long) row[2];
        task.updatedAt = now;
        return new Recorded((UUID) row[3]);
    }

    /**
     * The task's row as it is now, for a move: read with plain JDBC into a {@link Task} the ORM does not hold (a move
     * is written by {@link #record} alone), or null when there is no such task. Hibernate's load of the same row cost
     * more than twice the one-statement write on a close (JFR samples: 139 against 58). Every column of the entity is read ({@code TaskChangesTest}
     * holds this to the ORM's load).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Task current(UUID id) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(READ)) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Task t = new Task();
                    int i = 0;
                    t.id = rs.getObject(++i, UUID.class);
                    t.code = rs.getString(++i);
                    t.title = rs.getString(++i);
                    t.star = app.fivestar.task.catalogue.Star.valueOf(rs.getString(++i));
                    t.groupId = rs.getObject(++i, UUID.class);
                    t.assigneeId = rs.getObject(++i, UUID.class);
                    t.townId = rs.getObject(++i, UUID.class);
                    t.villageId = rs.getObject(++i, UUID.class);
                    t.dispatchId = rs.getObject(++i, UUID.class);
                    t.week = rs.getString(++i);
                    t.meetingId = rs.getObject(++i, UUID.class);
                    t.actionItemId = rs.getObject(++i, UUID.class);
                    t.dueDate = rs.getObject(++i, java.time.LocalDate.class);
                    t.status = TaskStatus.valueOf(rs.getString(++i));
                    t.note = rs.getString(++i);
                    t.returnedCount = rs.getInt(++i);
                    t.submittedAt = instant(rs.getObject(++i, OffsetDateTime.class));
                    t.verifiedAt = instant(rs.getObject(++i, OffsetDateTime.class));
                    t.version = rs.getLong(++i);
                    t.createdAt = instant(rs.getObject(++i, OffsetDateTime.class));
                    t.createdBy = rs.getObject(++i, UUID.class);
                    t.updatedAt = instant(rs.getObject(++i, OffsetDateTime.class));
                    t.changeSeq = rs.getLong(++i);
                    t.changeXid = rs.getLong(++i);
                    return t;
                }
            }
        });
    }

    private static final String READ = "select id, code, title, star, group_id, assignee_id, town_id, village_id, dispatch_id, week, meeting_id, "
            + "action_item_id, due_date, status, note, returned_count, submitted_at, verified_at, version, created_at, created_by, updated_at, "
            + "change_seq, change_xid from task where id = ?";

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    /** What {@link #record} learned while writing: the lead of the task's group now. */
    public record Recorded(UUID groupLeadId) {
    }

    /**
     * The columns a move may change (status, assignee, note, returned count, submitted and verified times, due date),
     * the stamp and the journal line in one statement (see {@link #record}). A move that changes another column of the
     * task must add it here: the rest of the row is not written.
     */
    private static final String WRITE = "with u as (update task set status = ?, assignee_id = ?, note = ?, returned_count = ?, submitted_at = ?, "
            + "verified_at = ?, due_date = ?, updated_at = ?, version = version + 1, change_seq = nextval('task_change_seq'), "
            + "change_xid = cast(cast(pg_current_xact_id() as text) as bigint) where id = ? and version = ? "
            + "returning id, version, change_seq, change_xid, group_id, updated_at), "
            + "j as (insert into task_journal (task_id, at, actor_id, action, client, old_values, new_values, note) "
            + "select u.id, u.updated_at, ?, ?, ?, ?, ?, ? from u) "
            + "select u.version, u.change_seq, u.change_xid, (select g.lead_id from working_group g where g.id = u.group_id) from u";

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
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
