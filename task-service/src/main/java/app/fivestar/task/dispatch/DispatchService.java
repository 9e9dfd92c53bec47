package app.fivestar.task.dispatch;

import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.problem.ProblemException;
import app.fivestar.platform.problem.Problems;
import app.fivestar.task.catalogue.CatalogItem;
import app.fivestar.task.catalogue.Star;
import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.Village;
import app.fivestar.task.directory.WorkingGroup;
import app.fivestar.task.task.Weeks;
import app.fivestar.task.task.Task;
import app.fivestar.task.task.TaskAccess;
import app.fivestar.task.task.TaskFactory;
import app.fivestar.task.task.TaskLifecycle;
import app.fivestar.task.task.TaskStatus;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** 每周交办: a whole week's dispatch is created at once or not at all. */
@ApplicationScoped
@Transactional
public class DispatchService {

    @Inject
    TaskFactory factory;

    @Inject
    TaskLifecycle lifecycle;

    @Inject
    Clock clock;

    @Inject
    DispatchJobs jobs;

    @ConfigProperty(name = "fivestar.dispatch.defer-above", defaultValue = "1000")
    int deferAbove;

    public static final String PENDING = "PENDING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    /** A dispatch and its tasks; {@code tasks} is null while a large dispatch is pending (its job creates them). */
    public record Created(Dispatch dispatch, List<Task> tasks) {
    }

    /**
     * Dispatches the request: a dispatch of at most {@code fivestar.dispatch.defer-above} tasks at once, a larger one
     * recorded PENDING for {@link DispatchJobs} (its tasks all created in one later transaction, or none).
     */
    public Created dispatch(DispatchRequest request, UUID actor) {
        return dispatch(request, actor, true);
    }

    Created dispatch(DispatchRequest request, UUID actor, boolean mayDefer) {
        List<List<TaskFactory.Spec>> planned = plan(request);
        Dispatch d = new Dispatch();
        d.id = UUID.randomUUID();
        d.week = request.week();
        d.createdBy = actor;
        d.createdAt = Instant.now(clock);
        d.total = planned.stream().mapToInt(List::size).sum();
        if (mayDefer && d.total > deferAbove) {
            d.status = PENDING;
            d.request = EventCodec.encodeJson(request);
            d.persist();
            jobs.wakeAfterCommit();
            return new Created(d, null);
        }
        d.finishedAt = d.createdAt;
        d.persist();
        return new Created(d, create(d, planned, progress -> { }));
    }

    /**
     * Creates a pending dispatch's tasks in the caller's (the job's) transaction and marks it DONE; marks it FAILED with
     * problem details, creating nothing, when its request can no longer be carried out (e.g. a village was removed).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void runPending(Dispatch d, IntConsumer progress) {
        List<List<TaskFactory.Spec>> planned;
        try {
            planned = plan(EventCodec.mapper().readValue(d.request, DispatchRequest.class));
        } catch (ProblemException e) {
            Map<String, Object> problem = new java.util.LinkedHashMap<>();
            problem.put("type", e.type());
            problem.put("title", e.title());
            problem.put("status", e.status());
            problem.put("detail", e.detail());
            problem.putAll(e.extensions());
            d.status = FAILED;
            d.problem = EventCodec.encodeJson(problem);
            d.finishedAt = Instant.now(clock);
            return;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("dispatch " + d.id + " keeps a request this version cannot read", e);
        }
        create(d, planned, progress);
        d.status = DONE;
        d.request = null;
        d.finishedAt = Instant.now(clock);
    }

    private List<Task> create(Dispatch d, List<List<TaskFactory.Spec>> planned, IntConsumer progress) {
        List<TaskFactory.Spec> all = new ArrayList<>(d.total);
        for (List<TaskFactory.Spec> specs : planned) {
            for (TaskFactory.Spec s : specs) {
                all.add(new TaskFactory.Spec(s.code(), s.title(), s.star(), s.groupId(), s.assigneeId(), s.townId(), s.villageId(), s.dueDate(),
                        s.week(), d.id, null, null));
            }
        }
        return factory.createAll(all, d.createdBy, progress);
    }

    /** What a dispatch would create, line by line, checked as {@link #dispatch} checks it (422 the same way), nothing written. */
    public record Preview(int total, int unassigned, List<LinePreview> lines) {
    }

    public record LinePreview(int tasks, int unassigned) {
    }

    public Preview preview(DispatchRequest request) {
        List<LinePreview> lines = plan(request).stream()
                .map(specs -> new LinePreview(specs.size(), (int) specs.stream().filter(s -> s.assigneeId() == null).count())).toList();
        return new Preview(lines.stream().mapToInt(LinePreview::tasks).sum(), lines.stream().mapToInt(LinePreview::unassigned).sum(), lines);
    }

    /** Each line's tasks, or 422 listing every bad line. */
    private List<List<TaskFactory.Spec>> plan(DispatchRequest request) {
        if (Weeks.monday(request.week()).isEmpty()) {
            throw violation("week", "不是有效的 ISO 周：" + request.week());
        }
        List<Map<String, String>> violations = new ArrayList<>();
        List<List<TaskFactory.Spec>> planned = new ArrayList<>();
        LocalDate today = LocalDate.now(clock.withZone(TaskLifecycle.CAMPAIGN_ZONE));
        for (int i = 0; i < request.lines().size(); i++) {
            planned.add(plan(request.week(), request.lines().get(i), "lines[" + i + "].", today, violations));
        }
        if (!violations.isEmpty()) {
            throw Problems.unprocessable(violations.size() + " 处问题，未创建任何任务").with("violations", violations);
        }
        return planned;
    }

    /** Every open task of {@code dispatchId} is carried into a new dispatch for {@code week}, due a week later; the originals are cancelled as carried forward. */
    public Created copyForward(UUID dispatchId, String week, UUID actor) {
        Dispatch from = get(dispatchId);
        String target = week == null ? Weeks.next(from.week) : week;
        List<Task> open = Task.<Task>find("dispatchId = ?1 and status in ?2", Sort.by("createdAt").and("id"), dispatchId,
                TaskStatus.open()).list();
        if (open.isEmpty()) {
            throw Problems.unprocessable("交办批次 " + dispatchId + " 没有可结转的未办结任务");
        }
        List<DispatchRequest.Line> lines = new ArrayList<>();
        for (Task t : open) {
            lines.add(new DispatchRequest.Line(t.code, t.title, t.groupId, t.dueDate.plusWeeks(1), t.assigneeId,
                    t.villageId == null ? null : new DispatchRequest.FanOut(null, null, List.of(t.villageId))));
        }
        Created created = dispatch(new DispatchRequest(target, lines), actor, false); // the originals are cancelled in this transaction
        for (Task t : open) {
            lifecycle.carriedForward(t, target, actor);
        }
        return created;
    }

    /** Hands one catalogue item out again: to its own group unless another is named, due after its default days. */
    public Created redispatch(String code, RedispatchRequest request, UUID actor) {
        CatalogItem item = CatalogItem.findById(code);
        if (item == null) {
            throw Problems.notFound("任务清单中没有此项：" + code);
        }
        UUID group = request.groupId() != null ? request.groupId()
                : WorkingGroup.byCode(item.groupCode).map(g -> g.id).orElseThrow(() -> violation("groupId", "该清单项的专班 " + item.groupCode + " 不存在"));
        LocalDate due = request.dueDate() != null ? request.dueDate()
                : LocalDate.now(clock.withZone(TaskLifecycle.CAMPAIGN_ZONE)).plusDays(item.defaultDays);
        String week = request.week() != null ? request.week() : Weeks.of(LocalDate.now(clock.withZone(TaskLifecycle.CAMPAIGN_ZONE)));
        return dispatch(new DispatchRequest(week, List.of(new DispatchRequest.Line(code, null, group, due, request.assigneeId(),
                request.fanOut()))), actor);
    }

    public record RedispatchRequest(String week, UUID groupId, LocalDate dueDate, UUID assigneeId, DispatchRequest.FanOut fanOut) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Dispatch get(UUID id) {
        return Dispatch.<Dispatch>findByIdOptional(id).orElseThrow(() -> Problems.notFound("交办批次 " + id + " 不存在"));
    }

    /** Counts by status and the completion percentage (verified among tasks not cancelled). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Progress progress(UUID dispatchId) {
        return progress(dispatchId, null);
    }

    /** The same over the tasks {@code scope} lets the caller see (null: all). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Progress progress(UUID dispatchId, TaskAccess.Scope scope) {
        Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
        for (TaskStatus s : TaskStatus.values()) {
            counts.put(s, 0L);
        }
        List<Object[]> rows;
        var query = Task.getEntityManager()
                .createQuery("select t.status, count(t) from Task t where t.dispatchId = :d"
                        + (scope == null ? "" : " and " + scope.condition()) + " group by t.status", Object[].class)
                .setParameter("d", dispatchId);
        if (scope != null) {
            scope.parameters().forEach(query::setParameter);
        }
        rows = query.getResultList();
        for (Object[] r : rows) {
            counts.put((TaskStatus) r[0], (Long) r[1]);
        }
        return Progress.of(counts);
    }

    /**
     * A dispatch's tasks: {@code total} of them, {@code created} so far (less than total only while it is pending), by
     * status, and the completion percentage (verified among those not cancelled).
     */
    public record Progress(long total, long created, Map<TaskStatus, Long> byStatus, double completionPercent) {
        static Progress of(Map<TaskStatus, Long> counts) {
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            long countable = total - counts.get(TaskStatus.CANCELLED);
            double completion = countable == 0 ? 0 : Math.round(1000.0 * counts.get(TaskStatus.VERIFIED) / countable) / 10.0;
            return new Progress(total, total, counts, completion);
        }

        /** The same while the job runs: its planned total and how many it has created (not yet visible as tasks). */
        Progress pending(long plannedTotal, long createdSoFar) {
            return new Progress(plannedTotal, createdSoFar, byStatus, completionPercent);
        }
    }

    /** How many tasks a pending dispatch's job has created so far (0 before it starts). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long created(UUID dispatchId) {
        List<?> rows = Task.getEntityManager().createNativeQuery("select created from dispatch_progress where dispatch_id = ?1")
                .setParameter(1, dispatchId).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).longValue();
    }

    /** The progress of several dispatches over the tasks {@code scope} lets the caller see, in one query. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<UUID, Progress> progress(List<UUID> dispatchIds, TaskAccess.Scope scope) {
        Map<UUID, Map<TaskStatus, Long>> counts = new java.util.HashMap<>();
        for (UUID id : dispatchIds) {
            Map<TaskStatus, Long> zero = new EnumMap<>(TaskStatus.class);
            for (TaskStatus s : TaskStatus.values()) {
                zero.put(s, 0L);
            }
            counts.put(id, zero);
        }
        if (!dispatchIds.isEmpty()) {
            var query = Task.getEntityManager()
                    .createQuery("select t.dispatchId, t.status, count(t) from Task t where t.dispatchId in :ids"
                            + (scope == null ? "" : " and " + scope.condition()) + " group by t.dispatchId, t.status", Object[].class)
                    .setParameter("ids", dispatchIds);
            if (scope != null) {
                scope.parameters().forEach(query::setParameter);
            }
            for (Object[] r : query.getResultList()) {
                counts.get((UUID) r[0]).put((TaskStatus) r[1], (Long) r[2]);
            }
        }
        Map<UUID, Progress> out = new java.util.LinkedHashMap<>();
        counts.forEach((id, c) -> out.put(id, Progress.of(c)));
        return out;
    }

    /** A dispatch list cursor: the last row's creation instant and id, opaque to clients. */
    static String encodeCursor(Dispatch d) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((d.createdAt + "|" + d.id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Object[] decodeCursor(String cursor) {
        try {
            String[] parts = new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8).split("\\|");
            return new Object[] {Instant.parse(parts[0]), UUID.fromString(parts[1])};
        } catch (RuntimeException e) {
            throw Problems.badRequest("cursor 不是本服务给出的分页游标");
        }
    }

    private List<TaskFactory.Spec> plan(String week, DispatchRequest.Line line, String at, LocalDate today, List<Map<String, String>> violations) {
        int before = violations.size();
        CatalogItem item = null;
        String title = line.title();
        Star star = null;
        if (line.catalogCode() != null && !line.catalogCode().isBlank()) {
            item = CatalogItem.findById(line.catalogCode());
            if (item == null) {
                add(violations, at + "catalogCode", "任务清单中没有此项：" + line.catalogCode());
            } else if (!item.active) {
                add(violations, at + "catalogCode", "任务清单项 " + item.code + " 已停用");
            } else {
                star = item.star;
                title = title == null || title.isBlank() ? item.title : title;
            }
        } else if (title == null || title.isBlank()) {
            add(violations, at + "title", "每一行须填写清单编号（catalogCode）或任务标题（title）");
        }
        WorkingGroup group = WorkingGroup.findById(line.groupId());
        if (group == null || !"GROUP".equals(group.kind)) {
            add(violations, at + "groupId", "不是专班");
        } else if (star == null) {
            star = group.star == null ? Star.GEN : Star.valueOf(group.star);
        }
        if (line.dueDate().isBefore(today)) {
            add(violations, at + "dueDate", "不能早于今天（北京时间）");
        }
        if (line.assigneeId() != null) {
            Person p = Person.findById(line.assigneeId());
            if (p == null || !p.active || group == null || !group.id.equals(p.groupId)) {
                add(violations, at + "assigneeId", "不是该专班的在职成员");
            }
        }
        List<Village.Ref> villages = List.of();
        if (line.fanOut() != null) {
            villages = fanOut(line.fanOut(), at + "fanOut", violations);
        }
        if (violations.size() > before) {
            return List.of();
        }
        String code = item == null ? null : item.code;
        List<TaskFactory.Spec> specs = new ArrayList<>();
        if (villages.isEmpty()) {
            specs.add(new TaskFactory.Spec(code, title.strip(), star, group.id, line.assigneeId(), null, null, line.dueDate(), week, null, null, null));
        } else {
            Map<UUID, UUID> followers = line.assigneeId() == null ? followers(group.id) : Map.of();
            for (Village.Ref v : villages) {
                UUID assignee = line.assigneeId() != null ? line.assigneeId() : followers.get(v.id());
                specs.add(new TaskFactory.Spec(code, title.strip(), star, group.id, assignee, v.townId(), v.id(), line.dueDate(), week, null, null, null));
            }
        }
        return specs;
    }

    /**
     * 分包到村: for each village some active cadre of the group follows, that cadre (the first by username when
     * several do). A fanned-out village task goes to its follower; only the others stay for the group lead to split.
     */
    static Map<UUID, UUID> followers(UUID groupId) {
        Map<UUID, UUID> byVillage = new HashMap<>();
        List<Person> cadres = Person.list("groupId = ?1 and active = true", Sort.by("username"), groupId);
        for (Person p : cadres) {
            if (p.roleSet().contains(app.fivestar.platform.security.Roles.CADRE)) {
                p.villageIds.forEach(v -> byVillage.putIfAbsent(v, p.id));
            }
        }
        return byVillage;
    }

    /**
     * The villages a line fans out to, in code order, read as {@link Village.Ref}s: entities would stay in the
     * persistence context, and every flush of the job (three per 2,000 tasks) walks each one held.
     */
    private List<Village.Ref> fanOut(DispatchRequest.FanOut f, String at, List<Map<String, String>> violations) {
        int targets = (f.townId() != null ? 1 : 0) + (Boolean.TRUE.equals(f.allVillages()) ? 1 : 0)
                + (f.villageIds() != null && !f.villageIds().isEmpty() ? 1 : 0);
        if (targets != 1) {
            add(violations, at, "townId、allVillages、villageIds 三者须且只能填一个");
            return List.of();
        }
        List<Village.Ref> villages;
        if (f.townId() != null) {
            villages = Village.refs("where v.townId = ?1", f.townId());
            if (villages.isEmpty()) {
                add(violations, at + ".townId", "未知的镇（街道），或该镇没有村（社区）");
            }
        } else if (Boolean.TRUE.equals(f.allVillages())) {
            villages = Village.refs("");
        } else {
            // a page of ids per query: a list may name up to 50,000 villages, more than one statement may carry
            List<UUID> ids = f.villageIds().stream().distinct().toList();
            villages = new ArrayList<>(ids.size());
            for (int from = 0; from < ids.size(); from += 10_000) {
                villages.addAll(Village.refs("where v.id in ?1", ids.subList(from, Math.min(ids.size(), from + 10_000))));
            }
            villages.sort(java.util.Comparator.comparing(Village.Ref::code));
            if (villages.size() != ids.size()) {
                add(violations, at + ".villageIds", "有未知的村（社区）");
            }
        }
        return villages;
    }

    private static void add(List<Map<String, String>> violations, String field, String message) {
        violations.add(Map.of("field", field, "message", message));
    }

    private static ProblemException violation(String field, String message) {
        return Problems.unprocessable(message).with("violations", List.of(Map.of("field", field, "message", message)));
    }
}
