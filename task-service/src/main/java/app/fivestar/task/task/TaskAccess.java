package app.fivestar.task.task;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Who may see and touch which task. OFFICE, LEADER and ADMIN see every task; a GROUP_LEAD sees their group's;
 * a CADRE sees their group's tasks assigned to them or to nobody; a TOWN_SECRETARY sees their town's. A task
 * the caller may not see answers 404 (its existence is not revealed); one they see but may not change, 403.
 */
@RequestScoped
public class TaskAccess {

    @Inject
    Caller caller;

    public boolean canSee(Task t) {
        if (caller.is(Roles.OFFICE) || caller.is(Roles.LEADER) || caller.is(Roles.ADMIN)) {
            return true;
        }
        Optional<UUID> group = caller.groupId();
        if (caller.is(Roles.GROUP_LEAD) && group.isPresent() && group.get().equals(t.groupId)) {
            return true;
        }
        if (caller.is(Roles.CADRE) && group.isPresent() && group.get().equals(t.groupId)
                && (t.assigneeId == null || t.assigneeId.equals(caller.personId()))) {
            return true;
        }
        return caller.is(Roles.TOWN_SECRETARY) && caller.townId().isPresent() && caller.townId().get().equals(t.townId);
    }

    /** The task if the caller may see it, else a 404 problem. */
    public Task visible(UUID id) {
        return visible(id, Task.findById(id));
    }

    /** {@code t}, task {@code id} as just read (null when there is none), if the caller may see it; else a 404 problem. */
    public Task visible(UUID id, Task t) {
        if (t == null || !canSee(t)) {
            throw Problems.notFound("任务 " + id + " 不存在");
        }
        return t;
    }

    /** A cadre or the lead of the task's group (whoever has it now): who may claim it. */
    public boolean memberOf(Task t) {
        return (caller.is(Roles.CADRE) || caller.is(Roles.GROUP_LEAD)) && caller.groupId().map(t.groupId::equals).orElse(false);
    }

    /** Accept, start, submit, ask for an extension: the group's lead, or a cadre of the group whose task it is. */
    public void requireWorker(Task t) {
        boolean lead = caller.is(Roles.GROUP_LEAD) && caller.groupId().map(t.groupId::equals).orElse(false);
        boolean cadre = caller.is(Roles.CADRE) && caller.groupId().map(t.groupId::equals).orElse(false)
                && (t.assigneeId == null || t.assigneeId.equals(caller.personId()));
        if (!lead && !cadre) {
            throw Problems.forbidden("只有该任务所属专班可以办理");
        }
    }

    /** Hand to a person: the office, or the lead of the task's group. */
    public void requireAssigner(Task t) {
        boolean lead = caller.is(Roles.GROUP_LEAD) && caller.groupId().map(t.groupId::equals).orElse(false);
        if (!caller.is(Roles.OFFICE) && !lead) {
            throw Problems.forbidden("只有创建办或专班负责人可以分配此任务");
        }
    }

    /** Verify, return, cancel, decide extensions. */
    public void requireOffice() {
        if (!caller.is(Roles.OFFICE)) {
            throw Problems.forbidden("只有创建办可以执行此操作");
        }
    }

    public UUID actor() {
        return caller.personId();
    }

    /**
     * A JPQL condition (on alias {@code t}) that keeps only tasks the caller may see, with its parameters;
     * {@code null} means everything.
     */
    public Scope scope() {
        if (caller.is(Roles.OFFICE) || caller.is(Roles.LEADER) || caller.is(Roles.ADMIN)) {
            return null;
        }
        UUID none = new UUID(0, 0);
        if (caller.is(Roles.GROUP_LEAD)) {
            return new Scope("t.groupId = :scopeGroup", Map.of("scopeGroup", caller.groupId().orElse(none)));
        }
        if (caller.is(Roles.CADRE)) {
            return new Scope("t.groupId = :scopeGroup and (t.assigneeId is null or t.assigneeId = :scopeMe)",
                    Map.of("scopeGroup", caller.groupId().orElse(none), "scopeMe", caller.personId()));
        }
        if (caller.is(Roles.TOWN_SECRETARY)) {
            return new Scope("t.townId = :scopeTown", Map.of("scopeTown", caller.townId().orElse(none)));
        }
        return new Scope("1 = 0", Map.of());
    }

    public record Scope(String condition, Map<String, Object> parameters) {
    }
}
