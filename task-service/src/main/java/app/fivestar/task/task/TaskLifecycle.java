package app.fivestar.task.task;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.web.Preconditions;
import app.fivestar.task.catalogue.CatalogItem;
import app.fivestar.task.directory.Person;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static app.fivestar.task.task.TaskChanges.values;

/**
 * The task lifecycle: every move checks who may make it, the ETag the caller based it on and the current
 * state; then the change, its journal line and its event commit together.
 */
@ApplicationScoped
@Transactional
public class TaskLifecycle {

    public static final ZoneId CAMPAIGN_ZONE = ZoneId.of("Asia/Shanghai");

    @Inject
    TaskAccess access;

    @Inject
    TaskChanges changes;

    @Inject
    TaskEvents events;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    public Task accept(UUID id, String ifMatch) {
        Task t = workable(id, ifMatch);
        TaskStatus before = t.status;
        t.status = Transition.ACCEPT.apply(t.status);
        if (t.assigneeId == null) {
            t.assigneeId = access.actor(); // 签收 by a cadre of the group makes the task theirs
        }
        return done(t, "accept", Transition.ACCEPT, values("status", before), values("status", t.status, "assigneeId", t.assigneeId), null, Map.of());
    }

    public Task start(UUID id, String ifMatch) {
        Task t = workable(id, ifMatch);
        TaskStatus before = t.status;
        t.status = Transition.START.apply(t.status);
        if (t.assigneeId == null) {
            t.assigneeId = access.actor();
        }
        return done(t, "start", Transition.START, values("status", before), values("status", t.status), null, Map.of());
    }

    public Task submit(UUID id, String ifMatch, String note, List<UUID> evidenceIds) {
        Task t = workable(id, ifMatch);
        TaskStatus before = t.status;
        Transition.SUBMIT.apply(t.status);
        List<UUID> evidence = evidenceIds == null ? List.of() : evidenceIds.stream().distinct().toList();
        for (UUID e : evidence) {
            // evidence rows are the evidence feature's (it builds on tasks): asked here by their table, not their class
            boolean ours = !em.createNativeQuery("select 1 from evidence where id = ?1 and task_id = ?2")
                    .setParameter(1, e).setParameter(2, t.id).getResultList().isEmpty();
            if (!ours) {
                throw Problems.unprocessable("佐证材料 " + e + " 不属于此任务")
                        .with("violations", List.of(Map.of("field", "evidenceIds", "message", "未知的佐证材料 " + e)));
            }
        }
        requireEvidenceRule(t, note, evidence);
        t.status = TaskStatus.SUBMITTED;
        t.note = note == null ? null : note.strip();
        t.submittedAt = Instant.now(clock);
        if (t.assigneeId == null) {
            t.assigneeId = access.actor();
        }
        em.createNativeQuery("delete from task_evidence where task_id = ?1").setParameter(1, t.id).executeUpdate();
        for (UUID e : evidence) {
            em.createNativeQuery("insert into task_evidence (task_id, evidence_id) values (?1, ?2)")
                    .setParameter(1, t.id).setParameter(2, e).executeUpdate();
        }
        java.util.HashMap<String, Object> extra = new java.util.HashMap<>();
        extra.put("note", t.note);
        extra.put("evidenceCount", evidence.size());
        return done(t, "submit", Transition.SUBMIT, values("status", before),
                values("status", t.status, "evidenceIds", evidence), t.note, extra);
    }

    public Task verify(UUID id, String ifMatch) {
        Task t = officeMove(id, ifMatch);
        TaskStatus before = t.status;
        t.status = Transition.VERIFY.apply(t.status);
        t.verifiedAt = Instant.now(clock);
        boolean onTime = TrafficLight.onTime(t.submittedAt, t.dueDate);
        return done(t, "verify", Transition.VERIFY, values("status", before), values("status", t.status), null, Map.of("onTime", onTime));
    }

    public Task returnToWork(UUID id, String ifMatch, String reason) {
        Task t = officeMove(id, ifMatch);
        requireText(reason, "reason");
        TaskStatus before = t.status;
        t.status = Transition.RETURN.apply(t.status);
        t.returnedCount++;
        return done(t, "return", Transition.RETURN, values("status", before), values("status", t.status), reason.strip(),
                Map.of("reason", reason.strip(), "reopened", false));
    }

    /** A look-back inspection found that a verified task rebounded: back to work, with the finding as reason. */
    public Task reopen(UUID id, String reason, UUID actor) {
        Task t = java.util.Optional.ofNullable(changes.current(id)).orElseThrow(() -> Problems.notFound("任务 " + id + " 不存在"));
        if (t.status != TaskStatus.VERIFIED) {
            return t; // already back at work (or cancelled): nothing to reopen
        }
        TaskStatus before = t.status;
        t.status = Transition.REOPEN.apply(t.status);
        t.returnedCount++;
        t.verifiedAt = null;
        TaskChanges.Recorded recorded = changes.record(t, actor, "reopen", values("status", before), values("status", t.status), reason);
        events.publish(Transition.REOPEN.eventType(), t, recorded.groupLeadId(), actor, Map.of("reason", reason, "reopened", true));
        return t;
    }

    public Task cancel(UUID id, String ifMatch, String reason) {
        Task t = officeMove(id, ifMatch);
        TaskStatus before = t.status;
        t.status = Transition.CANCEL.apply(t.status);
        java.util.HashMap<String, Object> extra = new java.util.HashMap<>();
        extra.put("reason", reason);
        return done(t, "cancel", Transition.CANCEL, values("status", before), values("status", t.status), reason, extra);
    }

    /** Closes a task whose open work moved into a later week's dispatch. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void carriedForward(Task t, String week, UUID actor) {
        TaskStatus before = t.status;
        t.status = Transition.CANCEL.apply(t.status);
        String reason = "转入 " + week + " 交办";
        TaskChanges.Recorded recorded = changes.record(t, actor, "carry-forward", values("status", before), values("status", t.status), reason);
        events.publish(Transition.CANCEL.eventType(), t, recorded.groupLeadId(), actor, Map.of("reason", reason));
    }

    public Task assign(UUID id, String ifMatch, UUID assigneeId) {
        Task t = access.visible(id, changes.current(id));
        access.requireAssigner(t);
        Preconditions.requireMatch(ifMatch, t.version);
        Transition.ASSIGN.apply(t.status);
        Person person = Person.findById(assigneeId);
        if (person == null || !t.groupId.equals(person.groupId) || !person.active) {
            throw Problems.unprocessable("承办人须为任务所属专班的在职成员")
                    .with("violations", List.of(Map.of("field", "assigneeId", "message", "不是该专班的在职成员")));
        }
        UUID before = t.assigneeId;
        if (assigneeId.equals(before)) {
            return t;
        }
        t.assigneeId = assigneeId;
        Task result = done(t, "assign", Transition.ASSIGN, values("assigneeId", before), values("assigneeId", assigneeId), null, Map.of());
        if (before != null) {
            changes.departed(t, before);
        }
        changes.arrived(t, assigneeId);
        return result;
    }

    public ExtensionRequest requestExtension(UUID id, String ifMatch, LocalDate dueDate, String reason) {
        Task t = workable(id, ifMatch);
        Transition.REQUEST_EXTENSION.apply(t.status);
        requireText(reason, "reason");
        if (dueDate == null || !dueDate.isAfter(t.dueDate)) {
            throw Problems.unprocessable("新的办结期限须晚于当前期限（" + t.dueDate + "）")
                    .with("violations", List.of(Map.of("field", "dueDate", "message", "须晚于 " + t.dueDate)));
        }
        if (ExtensionRequest.count("taskId = ?1 and status = 'PENDING'", t.id) > 0) {
            throw Problems.conflict("此任务已有一个待审批的延期申请");
        }
        ExtensionRequest r = new ExtensionRequest();
        r.id = UUID.randomUUID();
        r.taskId = t.id;
        r.requestedDue = dueDate;
        r.reason = reason.strip();
        r.status = "PENDING";
        r.requestedBy = access.actor();
        r.requestedAt = Instant.now(clock);
        r.persist();
        changes.record(t, access.actor(), "request-extension", values("dueDate", t.dueDate), values("requestedDueDate", dueDate), r.reason);
        return r;
    }

    public Task decideExtension(UUID id, UUID requestId, String ifMatch, boolean approve, String note) {
        Task t = officeMove(id, ifMatch);
        Transition.DECIDE_EXTENSION.apply(t.status);
        ExtensionRequest r = ExtensionRequest.findById(requestId);
        if (r == null || !r.taskId.equals(t.id)) {
            throw Problems.notFound("延期申请 " + requestId + " 不属于此任务或不存在");
        }
        if (!"PENDING".equals(r.status)) {
            throw Problems.conflict("此延期申请已" + ("APPROVED".equals(r.status) ? "批准" : "驳回")).with("currentState", r.status);
        }
        r.status = approve ? "APPROVED" : "REJECTED";
        r.decidedBy = access.actor();
        r.decidedAt = Instant.now(clock);
        r.decisionNote = note;
        if (!approve) {
            changes.record(t, access.actor(), "reject-extension", null, values("requestedDueDate", r.requestedDue), note);
            return t;
        }
        LocalDate previous = t.dueDate;
        t.dueDate = r.requestedDue;
        java.util.HashMap<String, Object> extra = new java.util.HashMap<>();
        extra.put("previousDueDate", previous);
        extra.put("reason", r.reason);
        return done(t, "approve-extension", Transition.DECIDE_EXTENSION, values("dueDate", previous), values("dueDate", t.dueDate), note, extra);
    }

    private void requireEvidenceRule(Task t, String note, List<UUID> evidence) {
        int minPhotos = 0;
        boolean noteRequired = true;
        if (t.code != null) {
            CatalogItem item = CatalogItem.findById(t.code);
            if (item != null) {
                minPhotos = item.minPhotos;
                noteRequired = item.noteRequired;
            }
        }
        List<Map<String, String>> missing = new ArrayList<>();
        if (evidence.size() < minPhotos) {
            missing.add(Map.of("field", "evidenceIds", "message", "至少需要 " + minPhotos + " 张照片，已提供 " + evidence.size() + " 张"));
        }
        if (noteRequired && (note == null || note.isBlank())) {
            missing.add(Map.of("field", "note", "message", "须填写办结说明"));
        }
        if (!missing.isEmpty()) {
            throw Problems.unprocessable("佐证材料不符合此任务的要求（" + minPhotos + " 张照片"
                            + (noteRequired ? "，并填写办结说明" : "") + "）")
                    .with("violations", missing).with("minPhotos", minPhotos).with("noteRequired", noteRequired);
        }
    }

    /**
     * 认领: a cadre of the task's group takes an unassigned task (If-Match, so of two cadres claiming one at once the
     * second gets 412). Already theirs: nothing changes. Someone else's: 409.
     */
    public Task claim(UUID id, String ifMatch) {
        Task t = changes.current(id);
        if (t == null || !access.memberOf(t)) {
            access.visible(id, t); // 404 for whoever may not see it
            throw Problems.forbidden("只有该任务所属专班的成员可以认领");
        }
        Preconditions.requireMatch(ifMatch, t.version);
        UUID me = access.actor();
        if (me.equals(t.assigneeId)) {
            return t;
        }
        if (t.assigneeId != null) {
            throw Problems.conflict("该任务已有承办人，不能认领");
        }
        Transition.ASSIGN.apply(t.status);
        t.assigneeId = me;
        Task result = done(t, "claim", Transition.ASSIGN, values("assigneeId", null), values("assigneeId", me), null, Map.of());
        changes.arrived(t, me);
        return result;
    }

    /*
     * A task about to change is read by TaskChanges#current, never held by the ORM: its change is written by
     * TaskChanges#record alone (one statement with its stamp and journal line), never by a flush.
     */

    private Task workable(UUID id, String ifMatch) {
        Task t = access.visible(id, changes.current(id));
        access.requireWorker(t);
        Preconditions.requireMatch(ifMatch, t.version);
        return t;
    }

    private Task officeMove(UUID id, String ifMatch) {
        Task t = access.visible(id, changes.current(id));
        access.requireOffice();
        Preconditions.requireMatch(ifMatch, t.version);
        return t;
    }

    private Task done(Task t, String action, Transition transition, Map<String, Object> before, Map<String, Object> after,
                      String note, Map<String, Object> extra) {
        TaskChanges.Recorded recorded = changes.record(t, access.actor(), action, before, after, note);
        events.publish(transition.eventType(), t, recorded.groupLeadId(), access.actor(), extra);
        return t; // its new version (the caller's ETag) came back from the write
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new app.fivestar.platform.problem.ProblemException(400, "validation", "请求内容不符合要求", field + " 不能为空")
                    .with("violations", List.of(Map.of("field", field, "message", "不能为空")));
        }
    }
}
