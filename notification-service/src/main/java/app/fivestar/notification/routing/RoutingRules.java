package app.fivestar.notification.routing;

import app.fivestar.notification.message.NotificationKind;
import app.fivestar.notification.message.Message;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.security.Roles;
import app.fivestar.platform.words.Labels;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Who hears about which fact, and what they read. Recipients the directory projection does not know yet are
 * returned as {@code waitFor}, so that the event is routed again when the directory catches up.
 */
@ApplicationScoped
public class RoutingRules {

    public static final Set<String> TASK_TYPES = Set.of("task.assigned.v1", "task.due-soon.v1", "task.overdue.v1",
            "task.escalated.v1", "task.submitted.v1", "task.returned.v1");
    public static final Set<String> REVIEW_TYPES = Set.of("review.action-item-created.v1", "review.ranking-published.v1",
            "review.statement-required.v1");

    /** Known recipients, ids to wait for, and the message. */
    public record Route(Set<UUID> recipients, Set<UUID> waitFor, Message message) {
    }

    @Inject
    Recipients recipients;

    public Route route(CloudEvent e) {
        return route(e, recipients);
    }

    /** The rule itself: who hears of this event, whom it waits for, and what they read. */
    public static Route route(CloudEvent e, Recipients directory) {
        Set<UUID> to = new LinkedHashSet<>();
        Set<UUID> waitFor = new LinkedHashSet<>();
        String title = e.text("title");
        // links are the pages people use on the front door (the base URL is added where a message leaves the inbox);
        // a cadre's task link is turned into the phone's page by the Notifier, who knows the recipient
        String taskLink = e.text("taskId") == null ? null : "/tasks/" + e.text("taskId");
        String meetingLink = e.text("meetingId") == null ? null : "/meetings/" + e.text("meetingId");
        Message message;
        switch (e.type()) {
            case "task.assigned.v1" -> {
                UUID assignee = uuid(e.text("assigneeId"));
                if (assignee != null) {
                    person(directory, assignee, to, waitFor);
                } else {
                    UUID group = UUID.fromString(e.text("groupId"));
                    to.addAll(directory.members(group, Roles.CADRE, Roles.GROUP_LEAD));
                    if (to.isEmpty()) {
                        waitFor.add(group);
                    }
                }
                boolean late = lateOnArrival(e);
                message = new Message(NotificationKind.TASK_ASSIGNED, (late ? "新任务（已逾期）：" : "新任务：") + title,
                        late ? "您有一项新交办任务「" + title + "」，办结期限 " + e.text("dueDate") + " 已过，交办时即已逾期，请尽快办结或申请延期。" + where(e.data())
                                : "您有一项新交办任务「" + title + "」，请于 " + e.text("dueDate") + " 前办结。" + where(e.data()), taskLink);
            }
            case "task.due-soon.v1" -> {
                assigneeOrLead(directory, e, to, waitFor);
                message = new Message(NotificationKind.TASK_DUE_SOON, "催办：" + title + " 即将到期",
                        "任务「" + title + "」将于 " + e.text("dueDate") + " 到期（剩余 " + e.data().path("daysLeft").asInt() + " 天），请抓紧办结。", taskLink);
            }
            case "task.overdue.v1" -> {
                assigneeOrLead(directory, e, to, waitFor);
                lead(directory, e, to, waitFor);
                message = new Message(NotificationKind.TASK_OVERDUE, "逾期：" + title,
                        "任务「" + title + "」已超过办结期限 " + e.text("dueDate") + "，请尽快办结或申请延期。" + where(e.data()), taskLink);
            }
            case "task.escalated.v1" -> {
                person(directory, UUID.fromString(e.text("targetPersonId")), to, waitFor);
                message = new Message(NotificationKind.TASK_ESCALATED, "督办（第" + e.data().path("level").asInt() + "级）：" + title,
                        "任务「" + title + "」已逾期 " + e.data().path("daysOverdue").asInt() + " 天，按督办程序报您关注。" + where(e.data()), taskLink);
            }
            case "task.submitted.v1" -> {
                to.addAll(directory.withRole(Roles.OFFICE));
                message = new Message(NotificationKind.TASK_SUBMITTED, "待销号：" + title,
                        "任务「" + title + "」已办结并提交佐证材料，请审核销号。" + note(e.text("note")), taskLink);
            }
            case "task.returned.v1" -> {
                assigneeOrLead(directory, e, to, waitFor);
                boolean reopened = e.data().path("reopened").asBoolean(false);
                message = new Message(NotificationKind.TASK_RETURNED, (reopened ? "回头看反弹，任务重新打开：" : "任务被退回：") + title,
                        "任务「" + title + "」" + (reopened ? "在回头看中发现反弹，已重新打开" : "被退回") + "。原因：" + e.text("reason"), taskLink);
            }
            case "review.action-item-created.v1" -> {
                UUID group = UUID.fromString(e.text("groupId"));
                UUID lead = directory.groupLead(group);
                if (lead == null) {
                    waitFor.add(group);
                } else {
                    person(directory, lead, to, waitFor);
                }
                message = new Message(NotificationKind.ACTION_ITEM, "会议交办事项：" + title,
                        "「" + e.text("meetingTitle") + "」议定事项「" + title + "」交由贵专班办理，请于 " + e.text("dueDate") + " 前完成。", meetingLink);
            }
            case "review.ranking-published.v1" -> {
                to.addAll(directory.withRole(Roles.TOWN_SECRETARY));
                to.addAll(directory.withRole(Roles.LEADER));
                String star = e.text("star") == null ? "" : "（" + Labels.star(e.text("star")) + "）";
                message = new Message(NotificationKind.RANKING_PUBLISHED, "排名通报：" + e.text("meetingTitle"),
                        "「" + e.text("meetingTitle") + "」" + star + "打分排序结果已通报，共 " + e.data().path("rankings").size() + " 个镇（街道）。", meetingLink);
            }
            case "review.statement-required.v1" -> {
                UUID secretary = uuid(e.text("secretaryId"));
                UUID town = UUID.fromString(e.text("townId"));
                if (secretary != null) {
                    person(directory, secretary, to, waitFor);
                } else {
                    to.addAll(directory.inTown(town, Roles.TOWN_SECRETARY));
                    if (to.isEmpty()) {
                        waitFor.add(town);
                    }
                }
                message = new Message(NotificationKind.STATEMENT_REQUIRED, "表态发言：" + e.text("meetingTitle"),
                        e.text("townName") + "在「" + e.text("meetingTitle") + "」中排名第 " + e.data().path("rank").asInt()
                                + " 位，请作表态发言。", meetingLink);
            }
            default -> throw new IllegalArgumentException("no routing rule for " + e.type());
        }
        return new Route(to, waitFor, message);
    }

    private static void person(Recipients directory, UUID id, Set<UUID> to, Set<UUID> waitFor) {
        if (directory.knows(id)) {
            to.add(id);
        } else {
            waitFor.add(id);
        }
    }

    private static void assigneeOrLead(Recipients directory, CloudEvent e, Set<UUID> to, Set<UUID> waitFor) {
        UUID assignee = uuid(e.text("assigneeId"));
        if (assignee != null) {
            person(directory, assignee, to, waitFor);
        } else {
            lead(directory, e, to, waitFor);
        }
    }

    private static void lead(Recipients directory, CloudEvent e, Set<UUID> to, Set<UUID> waitFor) {
        UUID lead = uuid(e.text("groupLeadId"));
        if (lead == null) {
            lead = directory.groupLead(UUID.fromString(e.text("groupId")));
        }
        if (lead != null) {
            person(directory, lead, to, waitFor);
        }
    }

    /** Created with its due date already past (Beijing date of the event): the first message says so. */
    static boolean lateOnArrival(CloudEvent e) {
        String due = e.text("dueDate");
        return due != null && java.time.LocalDate.parse(due).isBefore(e.time().atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate());
    }

    private static String where(JsonNode data) {
        return data.path("week").isTextual() ? "（" + data.path("week").asText() + " 交办）" : "";
    }

    private static String note(String note) {
        return note == null || note.isBlank() ? "" : "办结说明：" + note;
    }

    private static UUID uuid(String s) {
        return s == null ? null : UUID.fromString(s);
    }

    static List<String> allTypes() {
        List<String> all = new ArrayList<>(TASK_TYPES);
        all.addAll(REVIEW_TYPES);
        return all;
    }
}
