package app.fivestar.notification.routing;

import app.fivestar.notification.message.NotificationKind;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.security.Roles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who hears of each event and what they read, without Quarkus: the rules against a small directory of their own. */
class RoutingRulesTest {

    record Someone(UUID id, UUID group, UUID town, Set<String> roles) {
    }

    static final UUID GROUP = UUID.randomUUID();
    static final UUID EMPTY_GROUP = UUID.randomUUID();
    static final UUID TOWN = UUID.randomUUID();
    static final Someone LEAD = new Someone(UUID.randomUUID(), GROUP, null, Set.of(Roles.GROUP_LEAD));
    static final Someone CADRE = new Someone(UUID.randomUUID(), GROUP, null, Set.of(Roles.CADRE));
    static final Someone PATRON = new Someone(UUID.randomUUID(), GROUP, null, Set.of(Roles.LEADER));
    static final Someone OFFICE = new Someone(UUID.randomUUID(), null, null, Set.of(Roles.OFFICE));
    static final Someone SECRETARY = new Someone(UUID.randomUUID(), null, TOWN, Set.of(Roles.TOWN_SECRETARY));

    /** A directory of five people, one group with a lead and one without members. */
    static final Recipients DIRECTORY = new Recipients() {
        final List<Someone> people = List.of(LEAD, CADRE, PATRON, OFFICE, SECRETARY);

        public boolean knows(UUID person) {
            return people.stream().anyMatch(p -> p.id().equals(person));
        }

        public List<UUID> members(UUID group, String... roles) {
            return people.stream().filter(p -> group.equals(p.group()) && Arrays.stream(roles).anyMatch(p.roles()::contains)).map(Someone::id).toList();
        }

        public List<UUID> withRole(String role) {
            return people.stream().filter(p -> p.roles().contains(role)).map(Someone::id).toList();
        }

        public List<UUID> inTown(UUID town, String role) {
            return people.stream().filter(p -> town.equals(p.town()) && p.roles().contains(role)).map(Someone::id).toList();
        }

        public UUID groupLead(UUID group) {
            return GROUP.equals(group) ? LEAD.id() : null;
        }
    };

    static CloudEvent event(String type, Map<String, Object> data) {
        ObjectNode json = new ObjectMapper().valueToTree(data);
        return CloudEvent.of("/test", type, "s", json, OffsetDateTime.parse("2026-12-01T09:00:00+08:00"));
    }

    static RoutingRules.Route route(String type, Map<String, Object> data) {
        return RoutingRules.route(event(type, data), DIRECTORY);
    }

    @Test
    void anAssignedTaskGoesToItsAssigneeOrElseToTheGroupsCadresAndLead() {
        UUID task = UUID.randomUUID();
        RoutingRules.Route toCadre = route("task.assigned.v1", Map.of("taskId", task.toString(), "title", "清理坑塘", "groupId", GROUP.toString(),
                "assigneeId", CADRE.id().toString(), "dueDate", "2026-12-06", "week", "2026-W49"));
        assertEquals(Set.of(CADRE.id()), toCadre.recipients());
        assertEquals(NotificationKind.TASK_ASSIGNED, toCadre.message().kind());
        assertEquals("新任务：清理坑塘", toCadre.message().title());
        assertTrue(toCadre.message().body().contains("2026-12-06") && toCadre.message().body().contains("2026-W49"), toCadre.message().body());

        RoutingRules.Route toGroup = route("task.assigned.v1", Map.of("taskId", task.toString(), "title", "清理坑塘", "groupId", GROUP.toString(),
                "dueDate", "2026-12-06"));
        assertEquals(Set.of(LEAD.id(), CADRE.id()), toGroup.recipients(), "not the star's leader, who is no cadre or lead");
    }

    @Test
    void anEventForSomeoneUnknownWaitsForThem() {
        UUID stranger = UUID.randomUUID();
        RoutingRules.Route r = route("task.assigned.v1", Map.of("taskId", UUID.randomUUID().toString(), "title", "t", "groupId", GROUP.toString(),
                "assigneeId", stranger.toString(), "dueDate", "2026-12-06"));
        assertEquals(Set.of(), r.recipients());
        assertEquals(Set.of(stranger), r.waitFor());
        RoutingRules.Route empty = route("task.assigned.v1", Map.of("taskId", UUID.randomUUID().toString(), "title", "t",
                "groupId", EMPTY_GROUP.toString(), "dueDate", "2026-12-06"));
        assertEquals(Set.of(EMPTY_GROUP), empty.waitFor(), "a group nobody is known in yet");
    }

    @Test
    void overdueTellsTheAssigneeAndTheLeadAndEscalationItsTarget() {
        Map<String, Object> data = Map.of("taskId", UUID.randomUUID().toString(), "title", "t", "groupId", GROUP.toString(),
                "assigneeId", CADRE.id().toString(), "dueDate", "2026-11-30", "daysOverdue", 3, "level", 2,
                "targetPersonId", PATRON.id().toString());
        assertEquals(Set.of(CADRE.id(), LEAD.id()), route("task.overdue.v1", data).recipients());
        RoutingRules.Route escalated = route("task.escalated.v1", data);
        assertEquals(Set.of(PATRON.id()), escalated.recipients());
        assertEquals("督办（第2级）：t", escalated.message().title());
        assertTrue(escalated.message().kind().urgent(), "only escalations ignore quiet hours");
    }

    @Test
    void reviewEventsReachTheOfficeLeadersSecretariesAndLeads() {
        assertEquals(Set.of(OFFICE.id()), route("task.submitted.v1", Map.of("taskId", UUID.randomUUID().toString(), "title", "t",
                "groupId", GROUP.toString())).recipients());
        assertEquals(Set.of(SECRETARY.id(), PATRON.id()), route("review.ranking-published.v1", Map.of("meetingId", UUID.randomUUID().toString(),
                "meetingTitle", "第8次观摩", "rankings", List.of())).recipients());
        RoutingRules.Route statement = route("review.statement-required.v1", Map.of("meetingId", UUID.randomUUID().toString(),
                "meetingTitle", "第8次观摩", "townId", TOWN.toString(), "townName", "甲镇", "rank", 10));
        assertEquals(Set.of(SECRETARY.id()), statement.recipients());
        assertEquals("甲镇在「第8次观摩」中排名第 10 位，请作表态发言。", statement.message().body());
        assertEquals(Set.of(EMPTY_GROUP), route("review.action-item-created.v1", Map.of("meetingId", UUID.randomUUID().toString(),
                "meetingTitle", "例会", "title", "t", "groupId", EMPTY_GROUP.toString(), "dueDate", "2026-12-20")).waitFor(),
                "an action item for a group whose lead is unknown waits for the group");
    }

    @Test
    void anEventTypeWithoutARuleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> route("task.unknown.v1", Map.of()));
        List<String> ruled = new ArrayList<>(RoutingRules.allTypes());
        assertEquals(RoutingRules.TASK_TYPES.size() + RoutingRules.REVIEW_TYPES.size(), ruled.size());
    }

    @Test
    void linksLeadToThePagesPeopleUseNotToTheApi() {
        UUID task = UUID.randomUUID();
        UUID meeting = UUID.randomUUID();
        assertEquals("/tasks/" + task, route("task.assigned.v1", Map.of("taskId", task.toString(), "title", "清理坑塘", "groupId", GROUP.toString(),
                "assigneeId", CADRE.id().toString(), "dueDate", "2026-12-06")).message().link());
        assertEquals("/meetings/" + meeting, route("review.action-item-created.v1", Map.of("meetingId", meeting.toString(), "meetingTitle", "例会",
                "title", "整治", "groupId", GROUP.toString(), "dueDate", "2026-12-06")).message().link());
        assertEquals("/meetings/" + meeting, route("review.ranking-published.v1", Map.of("meetingId", meeting.toString(), "meetingTitle", "观摩",
                "star", "ST", "rankings", List.of())).message().link());
    }

    @Test
    void aTaskCreatedAlreadyLateSaysSoInItsFirstMessage() {
        // the event is of 2026-12-01 (Beijing): due the day before
        RoutingRules.Route late = route("task.assigned.v1", Map.of("taskId", UUID.randomUUID().toString(), "title", "补交台账", "groupId", GROUP.toString(),
                "assigneeId", CADRE.id().toString(), "dueDate", "2026-11-30"));
        assertEquals("新任务（已逾期）：补交台账", late.message().title());
        assertTrue(late.message().body().contains("已逾期"), late.message().body());
        RoutingRules.Route today = route("task.assigned.v1", Map.of("taskId", UUID.randomUUID().toString(), "title", "当天办", "groupId", GROUP.toString(),
                "assigneeId", CADRE.id().toString(), "dueDate", "2026-12-01"));
        assertEquals("新任务：当天办", today.message().title());
    }

    @Test
    void aRankingMessageNamesTheStarInChinese() {
        RoutingRules.Route r = route("review.ranking-published.v1", Map.of("meetingId", UUID.randomUUID().toString(), "meetingTitle", "十二月观摩",
                "star", "ST", "rankings", List.of()));
        assertTrue(r.message().body().contains("生态宜居星") && !r.message().body().contains("ST"), r.message().body());
    }
}
