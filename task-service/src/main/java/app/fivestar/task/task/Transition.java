package app.fivestar.task.task;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.words.Labels;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static app.fivestar.task.task.TaskStatus.ACCEPTED;
import static app.fivestar.task.task.TaskStatus.ASSIGNED;
import static app.fivestar.task.task.TaskStatus.CANCELLED;
import static app.fivestar.task.task.TaskStatus.IN_PROGRESS;
import static app.fivestar.task.task.TaskStatus.RETURNED;
import static app.fivestar.task.task.TaskStatus.SUBMITTED;
import static app.fivestar.task.task.TaskStatus.VERIFIED;

/** The moves of the task lifecycle: from which states each one may start and where it leads. */
public enum Transition {
    ACCEPT(EnumSet.of(ASSIGNED), ACCEPTED, "task.accepted.v1"),
    START(EnumSet.of(ASSIGNED, ACCEPTED, RETURNED), IN_PROGRESS, "task.started.v1"),
    SUBMIT(EnumSet.of(ACCEPTED, IN_PROGRESS, RETURNED), SUBMITTED, "task.submitted.v1"),
    VERIFY(EnumSet.of(SUBMITTED), VERIFIED, "task.verified.v1"),
    RETURN(EnumSet.of(SUBMITTED), RETURNED, "task.returned.v1"),
    /** A look-back finding that a verified task rebounded (回头看). */
    REOPEN(EnumSet.of(VERIFIED), RETURNED, "task.returned.v1"),
    CANCEL(EnumSet.of(ASSIGNED, ACCEPTED, IN_PROGRESS, RETURNED, SUBMITTED), CANCELLED, "task.cancelled.v1"),
    ASSIGN(EnumSet.of(ASSIGNED, ACCEPTED, IN_PROGRESS, RETURNED), null, "task.assigned.v1"),
    REQUEST_EXTENSION(EnumSet.of(ASSIGNED, ACCEPTED, IN_PROGRESS, RETURNED), null, null),
    DECIDE_EXTENSION(EnumSet.of(ASSIGNED, ACCEPTED, IN_PROGRESS, RETURNED), null, "task.due-date-changed.v1");

    private final Set<TaskStatus> from;
    private final TaskStatus to;
    private final String eventType;

    Transition(Set<TaskStatus> from, TaskStatus to, String eventType) {
        this.from = from;
        this.to = to;
        this.eventType = eventType;
    }

    /** What a person calls this move. */
    String words() {
        return switch (this) {
            case ACCEPT -> "签收";
            case START -> "开始办理";
            case SUBMIT -> "办结提交";
            case VERIFY -> "销号";
            case RETURN -> "退回";
            case REOPEN -> "重新打开";
            case CANCEL -> "取消";
            case ASSIGN -> "分配";
            case REQUEST_EXTENSION -> "申请延期";
            case DECIDE_EXTENSION -> "审批延期";
        };
    }

    /** The state after this move from {@code current}; a 409 problem naming the allowed moves when illegal. */
    public TaskStatus apply(TaskStatus current) {
        if (!from.contains(current)) {
            List<String> allowed = allowedFrom(current);
            throw Problems.conflict("任务当前为「" + Labels.taskStatus(current.name()) + "」，不能" + words())
                    .with("currentState", current.name())
                    .with("allowedTransitions", allowed);
        }
        return to == null ? current : to;
    }

    public String eventType() {
        return eventType;
    }

    public static List<String> allowedFrom(TaskStatus current) {
        return java.util.Arrays.stream(values())
                .filter(t -> t != REOPEN && t.from.contains(current))
                .map(t -> t.name().toLowerCase().replace('_', '-'))
                .toList();
    }
}
