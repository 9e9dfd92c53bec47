package app.fivestar.task.task;

import app.fivestar.platform.problem.Problems;
import app.fivestar.task.catalogue.Star;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads of tasks: the filtered, cursor-paged list and the phone's delta sync. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class TaskQueries {

    public static final int MAX_LIMIT = 200;

    @Inject
    EntityManager em;

    @Inject
    TaskAccess access;

    @Inject
    TrafficLight lights;

    public record Filter(String week, TaskStatus status, Star star, UUID groupId, UUID townId, UUID villageId,
                         UUID assigneeId, Boolean overdue, UUID dispatchId) {
    }

    public record Page(List<TaskView> items, String nextCursor) {
    }

    /**
     * Newest first, keyed on (createdAt, id): a cursor names the last row seen, so tasks inserted meanwhile
     * never shift or repeat the following pages.
     */
    public Page list(Filter f, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Problems.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> p = new HashMap<>();
        add(where, p, "t.week = :week", "week", f.week());
        add(where, p, "t.status = :status", "status", f.status());
        add(where, p, "t.star = :star", "star", f.star());
        add(where, p, "t.groupId = :groupId", "groupId", f.groupId());
        add(where, p, "t.townId = :townId", "townId", f.townId());
        add(where, p, "t.villageId = :villageId", "villageId", f.villageId());
        add(where, p, "t.assigneeId = :assigneeId", "assigneeId", f.assigneeId());
        add(where, p, "t.dispatchId = :dispatchId", "dispatchId", f.dispatchId());
        LocalDate today = today();
        if (Boolean.TRUE.equals(f.overdue())) {
            where.append(" and t.status in :open and t.dueDate < :today");
            p.put("open", TaskStatus.open());
            p.put("today", today);
        } else if (Boolean.FALSE.equals(f.overdue())) {
            where.append(" and not (t.status in :open and t.dueDate < :today)");
            p.put("open", TaskStatus.open());
            p.put("today", today);
        }
        TaskAccess.Scope scope = access.scope();
        if (scope != null) {
            where.append(" and (").append(scope.condition()).append(")");
            p.putAll(scope.parameters());
        }
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor);
            where.append(" and (t.createdAt < :cAt or (t.createdAt = :cAt and t.id < :cId))");
            p.put("cAt", c.createdAt());
            p.put("cId", c.id());
        }
        TypedQuery<Task> q = em.createQuery("select t from Task t where " + where + " order by t.createdAt desc, t.id desc", Task.class);
        p.forEach(q::setParameter);
        List<Task> rows = q.setMaxResults(limit + 1).getResultList();
        boolean more = rows.size() > limit;
        List<Task> page = more ? rows.subList(0, limit) : rows;
        String next = more ? new Cursor(page.get(page.size() - 1).createdAt, page.get(page.size() - 1).id).encode() : null;
        return new Page(page.stream().map(t -> lights.view(t, today)).toList(), next);
    }

    /** A compact task for the phone. */
    public record MobileTask(UUID id, String code, String title, TaskStatus status, LocalDate dueDate, boolean overdue,
                             UUID villageId, long version) {
    }

    public record Sync(List<MobileTask> changed, List<UUID> removed, String syncToken, boolean full) {
    }

    /**
     * The caller's own tasks (assigned to them; for a cadre also their group's unassigned ones) changed since
     * {@code since}, and the ids that left their list (cancelled or handed to someone else).
     */
    public Sync mine(String since, UUID me, UUID myGroup, boolean cadre) {
        long from = since == null ? 0 : SyncToken.decode(since);
        long upTo = ((Number) em.createNativeQuery("select coalesce(max(change_seq), 0) from task").getSingleResult()).longValue();
        String mineCondition = cadre && myGroup != null
                ? "(t.assigneeId = :me or (t.assigneeId is null and t.groupId = :group))" : "t.assigneeId = :me";
        TypedQuery<Task> q = em.createQuery("select t from Task t where " + mineCondition
                + " and t.changeSeq > :from and t.changeSeq <= :upTo order by t.changeSeq", Task.class)
                .setParameter("me", me).setParameter("from", from).setParameter("upTo", upTo);
        if (cadre && myGroup != null) {
            q.setParameter("group", myGroup);
        }
        LocalDate today = today();
        List<MobileTask> changed = new ArrayList<>();
        List<UUID> removed = new ArrayList<>();
        for (Task t : q.getResultList()) {
            if (t.status == TaskStatus.CANCELLED) {
                if (from > 0) {
                    removed.add(t.id);
                }
            } else {
                changed.add(new MobileTask(t.id, t.code, t.title, t.status, t.dueDate, t.status.isOpen() && t.dueDate.isBefore(today),
                        t.villageId, t.version));
            }
        }
        if (from > 0) {
            @SuppressWarnings("unchecked")
            List<UUID> departed = em.createNativeQuery("select task_id from task_departure where person_id = ?1 and change_seq > ?2 and change_seq <= ?3")
                    .setParameter(1, me).setParameter(2, from).setParameter(3, upTo).getResultList();
            removed.addAll(departed);
        }
        return new Sync(changed, removed, SyncToken.encode(upTo), from == 0);
    }

    private LocalDate today() {
        return lights.today();
    }

    private static void add(StringBuilder where, Map<String, Object> p, String condition, String name, Object value) {
        if (value != null) {
            where.append(" and ").append(condition);
            p.put(name, value);
        }
    }

    record Cursor(Instant createdAt, UUID id) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt.toString() + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|");
                return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw Problems.badRequest("cursor is not one this service handed out");
            }
        }
    }

    static final class SyncToken {
        static String encode(long seq) {
            return "s" + Long.toString(seq, 36);
        }

        static long decode(String token) {
            try {
                if (!token.startsWith("s")) {
                    throw new NumberFormatException();
                }
                return Long.parseLong(token.substring(1), 36);
            } catch (NumberFormatException e) {
                throw Problems.badRequest("since must be a syncToken this service handed out");
            }
        }
    }
}
