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
                         UUID assigneeId, Boolean overdue, UUID dispatchId, TrafficLight.Color light) {
    }

    public record Page(List<TaskView> items, String nextCursor) {
    }

    /** The list's orders: newest first (the default), or earliest due first (an overdue drill-down: the oldest overdue on top). */
    public enum Sort {
        NEWEST("t.createdAt desc, t.id desc", "(t.createdAt, t.id) < (:cKey, :cId)"),
        DUE("t.dueDate asc, t.id asc", "(t.dueDate, t.id) > (:cKey, :cId)"),
        /** 待销号: the longest-waiting submission first (only tasks that have been submitted). */
        SUBMITTED("t.submittedAt asc, t.id asc", "(t.submittedAt, t.id) > (:cKey, :cId)");

        final String order;
        final String after;

        Sort(String order, String after) {
            this.order = order;
            this.after = after;
        }

        /** The order asked for; without one, an overdue list comes earliest due first and any other newest first. */
        public static Sort of(String text, boolean overdueOnly) {
            if (text == null) {
                return overdueOnly ? DUE : NEWEST;
            }
            return switch (text) {
                case "newest" -> NEWEST;
                case "due" -> DUE;
                case "submitted" -> SUBMITTED;
                default -> throw Problems.badRequest("sort 只能是 newest（最新）、due（按期限）或 submitted（按提交时间）");
            };
        }
    }

    /**
     * Keyset pages in {@code sort} order, keyed on (createdAt, id) or (dueDate, id): a cursor names the last row seen,
     * so tasks inserted meanwhile never shift or repeat the following pages, and a deep page costs what the first does.
     */
    public Page list(Filter f, Sort sort, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Problems.badRequest("limit 须在 1 到 " + MAX_LIMIT);
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
        if (f.light() != null) {
            // TrafficLight.color in JPQL (OfficeListsTest holds the two together): red open and past due; yellow open, not past due,
            // and due within the window or returned before; green closed (not cancelled) or open with time and never returned
            p.put("open", TaskStatus.open());
            switch (f.light()) {
                case RED -> {
                    where.append(" and t.status in :open and t.dueDate < :today");
                    p.put("today", today);
                }
                case YELLOW -> {
                    p.put("today", today);
                    where.append(" and t.status in :open and t.dueDate >= :today and (t.dueDate < :soon or t.returnedCount > 0)");
                    p.put("soon", today.plusDays(lights.soonDays()));
                }
                case GREEN -> {
                    where.append(" and (t.status in :done or (t.status in :open and t.dueDate >= :soon and t.returnedCount = 0))");
                    p.put("soon", today.plusDays(lights.soonDays()));
                    p.put("done", java.util.EnumSet.of(TaskStatus.SUBMITTED, TaskStatus.VERIFIED));
                }
            }
        }
        if (sort == Sort.SUBMITTED) {
            where.append(" and t.submittedAt is not null");
        }
        TaskAccess.Scope scope = access.scope();
        if (scope != null) {
            where.append(" and (").append(scope.condition()).append(")");
            p.putAll(scope.parameters());
        }
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor, sort);
            // a row comparison, so that the index on the order's columns starts right after the cursor
            where.append(" and ").append(sort.after);
            p.put("cKey", c.key() instanceof Cursor.Submitted s ? s.at() : c.key());
            p.put("cId", c.id());
        }
        TypedQuery<Task> q = em.createQuery("select t from Task t where " + where + " order by " + sort.order, Task.class);
        p.forEach(q::setParameter);
        List<Task> rows = q.setMaxResults(limit + 1).getResultList();
        boolean more = rows.size() > limit;
        List<Task> page = more ? rows.subList(0, limit) : rows;
        String next = more ? Cursor.after(page.get(page.size() - 1), sort).encode() : null;
        return new Page(page.stream().map(t -> lights.view(t, today)).toList(), next);
    }

    /**
     * A task as the phone keeps it: enough to show its list row and its page with no network (the catalogue item's
     * requirements, the office's last return reason, the journal) and the ETag its next move is based on.
     */
    public record MobileTask(UUID id, String code, String title, TaskStatus status, Star star, LocalDate dueDate, boolean overdue,
                             UUID villageId, long version, String etag, String week, String note, int minPhotos, boolean noteRequired,
                             String returnReason, Instant updatedAt, List<MobileHistory> history) {
    }

    /** One journal line on the phone. */
    public record MobileHistory(Instant at, String action, String client, String note) {
    }

    /**
     * One answer of a sync: {@code more} says another call with the new {@code syncToken} has the rest (a first sync
     * of a long list comes in pages; the token stays opaque).
     */
    public record Sync(List<MobileTask> changed, List<UUID> removed, String syncToken, boolean full, boolean more) {
    }

    /** The most changes one sync answer carries. */
    public static final int SYNC_PAGE = 500;

    /**
     * The caller's own tasks (assigned to them) changed since {@code since}, and the ids that left their list
     * (cancelled or handed to someone else). A group's unassigned tasks are not on anyone's list: see {@link #claimable}.
     */
    public Sync mine(String since, UUID me) {
        return mine(since, me, SYNC_PAGE);
    }

    /**
     * The same, at most {@code limit} changes per answer, in change order. A sync answers the changes in one
     * {@link ChangeWindow}: those made by transactions that had not committed at the previous sync's look and had at this
     * one's; a page ends between two changes and the next page continues in the same window.
     */
    @SuppressWarnings("unchecked")
    public Sync mine(String since, UUID me, int limit) {
        if (limit < 1 || limit > SYNC_PAGE) {
            throw Problems.badRequest("limit 须在 1 到 " + SYNC_PAGE + " 之间");
        }
        SyncToken from = since == null ? SyncToken.FIRST : SyncToken.decode(since);
        ChangeWindow window = from.upTo() == null ? ChangeWindow.since(from.after(), em) : new ChangeWindow(from.after(), from.upTo());
        List<Task> rows = em.createNativeQuery("select t.* from task t where t.assignee_id = ?1 and " + window.sql("t.change_xid")
                        + " and t.change_seq > ?2 order by t.change_seq limit ?3", Task.class)
                .setParameter(1, me).setParameter(2, from.lastSeq()).setParameter(3, limit + 1).getResultList();
        boolean more = rows.size() > limit;
        if (more) {
            rows = rows.subList(0, limit);
        }
        boolean first = from.after() == null;
        List<Task> kept = new ArrayList<>();
        List<UUID> removed = new ArrayList<>();
        for (Task t : rows) {
            if (t.status == TaskStatus.CANCELLED) {
                if (!first) {
                    removed.add(t.id);
                }
            } else {
                kept.add(t);
            }
        }
        if (!first && !more) {
            removed.addAll(em.createNativeQuery("select task_id from task_departure d where d.person_id = ?1 and " + window.sql("d.change_xid"))
                    .setParameter(1, me).getResultList());
        }
        String token = more ? new SyncToken(window.after(), window.upTo(), rows.get(rows.size() - 1).changeSeq).encode()
                : new SyncToken(window.upTo(), null, 0).encode();
        return new Sync(forPhone(kept, true), removed, token, from.lastSeq() == 0 && first, more);
    }

    /** A page of the caller's group's open, unassigned tasks (待认领), oldest due first; online only, not synced. */
    public record Claimable(List<MobileTask> items, String nextCursor) {
    }

    public Claimable claimable(UUID group, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Problems.badRequest("limit 须在 1 到 " + MAX_LIMIT + " 之间");
        }
        if (group == null) {
            return new Claimable(List.of(), null);
        }
        StringBuilder where = new StringBuilder("t.groupId = :group and t.assigneeId is null and t.status in :open");
        if (cursor != null) {
            where.append(" and ").append(Sort.DUE.after);
        }
        TypedQuery<Task> q = em.createQuery("select t from Task t where " + where + " order by " + Sort.DUE.order, Task.class)
                .setParameter("group", group).setParameter("open", TaskStatus.open());
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor, Sort.DUE);
            q.setParameter("cKey", c.key()).setParameter("cId", c.id());
        }
        List<Task> rows = q.setMaxResults(limit + 1).getResultList();
        boolean more = rows.size() > limit;
        List<Task> page = more ? rows.subList(0, limit) : rows;
        return new Claimable(forPhone(page, false), more ? Cursor.after(page.get(page.size() - 1), Sort.DUE).encode() : null);
    }

    /** The phone's view of these tasks: requirements from the catalogue and the journal in two queries, not one per task. */
    private List<MobileTask> forPhone(List<Task> tasks, boolean withHistory) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        Map<String, Object[]> rules = new HashMap<>();
        List<String> codes = tasks.stream().map(t -> t.code).filter(java.util.Objects::nonNull).distinct().toList();
        if (!codes.isEmpty()) {
            em.createQuery("select c.code, c.minPhotos, c.noteRequired from CatalogItem c where c.code in :codes", Object[].class)
                    .setParameter("codes", codes).getResultList().forEach(r -> rules.put((String) r[0], r));
        }
        Map<UUID, List<MobileHistory>> history = new HashMap<>();
        if (withHistory) {
            em.createQuery("select j from JournalEntry j where j.taskId in :ids order by j.id", JournalEntry.class)
                    .setParameter("ids", tasks.stream().map(t -> t.id).toList()).getResultList()
                    .forEach(j -> history.computeIfAbsent(j.taskId, k -> new ArrayList<>()).add(new MobileHistory(j.at, j.action, j.client, j.note)));
        }
        LocalDate today = today();
        List<MobileTask> out = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            Object[] rule = t.code == null ? null : rules.get(t.code);
            List<MobileHistory> lines = history.getOrDefault(t.id, List.of());
            String returnReason = null;
            if (t.status == TaskStatus.RETURNED) {
                for (MobileHistory h : lines) {
                    if ("return".equals(h.action())) {
                        returnReason = h.note();
                    }
                }
            }
            out.add(new MobileTask(t.id, t.code, t.title, t.status, t.star, t.dueDate, t.status.isOpen() && t.dueDate.isBefore(today),
                    t.villageId, t.version, app.fivestar.platform.web.Preconditions.etag(t.version).toString(), t.week, t.note,
                    rule == null ? 0 : ((Number) rule[1]).intValue(), rule != null && (Boolean) rule[2], returnReason, t.updatedAt,
                    withHistory ? lines : null));
        }
        return out;
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

    /** The last row of a page: its sort key (a creation instant, or a due date marked {@code due:}) and its id. */
    record Cursor(Object key, UUID id) {
        private static final String DUE = "due:";
        private static final String SUBMITTED = "sub:";

        static Cursor after(Task t, Sort sort) {
            return switch (sort) {
                case DUE -> new Cursor(t.dueDate, t.id);
                case SUBMITTED -> new Cursor(new Submitted(t.submittedAt), t.id);
                case NEWEST -> new Cursor(t.createdAt, t.id);
            };
        }

        /** A submission time as a cursor key: its own prefix, so that a cursor of one order is refused by another. */
        record Submitted(Instant at) {
        }

        String encode() {
            String k = key instanceof LocalDate d ? DUE + d : key instanceof Submitted s ? SUBMITTED + s.at() : key.toString();
            return Base64.getUrlEncoder().withoutPadding().encodeToString((k + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text, Sort sort) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|");
                UUID id = UUID.fromString(parts[1]);
                if (sort == Sort.DUE) {
                    if (!parts[0].startsWith(DUE)) {
                        throw new IllegalArgumentException("a cursor of another order");
                    }
                    return new Cursor(LocalDate.parse(parts[0].substring(DUE.length())), id);
                }
                if (sort == Sort.SUBMITTED) {
                    if (!parts[0].startsWith(SUBMITTED)) {
                        throw new IllegalArgumentException("a cursor of another order");
                    }
                    return new Cursor(Instant.parse(parts[0].substring(SUBMITTED.length())), id);
                }
                if (parts[0].startsWith(DUE) || parts[0].startsWith(SUBMITTED)) {
                    throw new IllegalArgumentException("a cursor of another order");
                }
                return new Cursor(Instant.parse(parts[0]), id);
            } catch (RuntimeException e) {
                throw Problems.badRequest("cursor 不是本服务针对此排序给出的分页游标");
            }
        }
    }

    /**
     * Where a phone's sync stands, opaque to the phone: the snapshot of its last complete sync ({@code after}, null before
     * the first) and, while a sync comes in pages, the snapshot that sync reads up to and the last change it has answered.
     * A token of the earlier form (a bare change stamp) asks for a fresh full sync.
     */
    record SyncToken(ChangeWindow.Snapshot after, ChangeWindow.Snapshot upTo, long lastSeq) {
        static final SyncToken FIRST = new SyncToken(null, null, 0);

        String encode() {
            String text = (after == null ? "" : after.text()) + ";" + (upTo == null ? "" : upTo.text()) + ";" + lastSeq;
            return "w" + Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
        }

        static SyncToken decode(String token) {
            try {
                if (token.startsWith("s")) {
                    Long.parseLong(token.substring(1), 36);
                    return FIRST;
                }
                if (!token.startsWith("w")) {
                    throw new IllegalArgumentException();
                }
                String[] parts = new String(Base64.getUrlDecoder().decode(token.substring(1)), StandardCharsets.US_ASCII).split(";", -1);
                if (parts.length != 3) {
                    throw new IllegalArgumentException();
                }
                return new SyncToken(parts[0].isEmpty() ? null : ChangeWindow.Snapshot.parse(parts[0]),
                        parts[1].isEmpty() ? null : ChangeWindow.Snapshot.parse(parts[1]), Long.parseLong(parts[2]));
            } catch (RuntimeException e) {
                throw Problems.badRequest("since 须为本服务给出的 syncToken");
            }
        }
    }
}
