package app.fivestar.notification.routing;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The routing rules, one by one, through the real broker and the inbox API. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class RoutingTest {

    UUID group;
    UUID town;
    Person lead;
    Person cadre;
    Person cadre2;
    Person office;
    Person leader;
    Person secretary;
    Person otherSecretary;

    @BeforeEach
    void directory() {
        group = UUID.randomUUID();
        town = UUID.randomUUID();
        lead = People.person("GROUP_LEAD", group, null);
        cadre = People.person("CADRE", group, null);
        cadre2 = People.person("CADRE", group, null);
        office = People.person("OFFICE", null, null);
        leader = People.person("LEADER", null, null);
        secretary = People.person("TOWN_SECRETARY", null, town);
        otherSecretary = People.person("TOWN_SECRETARY", null, UUID.randomUUID());
        People.group(group, lead.id());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> otherSecretary.inbox());
    }

    static void publish(CloudEvent e, String topic) {
        TestRecords.send(topic, e);
    }

    static void arrives(Person p, String titlePart) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> p.inbox().body("items.title", hasItem(containsString(titlePart))));
    }

    static void absent(Person p, String titlePart) {
        p.inbox().body("items.title", not(hasItem(containsString(titlePart))));
    }

    @Test
    void assignedGoesToTheAssignee() {
        publish(People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "指派给个人",
                "dueDate", java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(3).toString())), Topics.TASK_EVENTS);
        arrives(cadre, "指派给个人");
        cadre.inbox().body("items[0].kind", equalTo("TASK_ASSIGNED")).body("items[0].link", org.hamcrest.Matchers.startsWith("/m/tasks/"))
                .body("items[0].body", containsString("请于"));
        absent(cadre2, "指派给个人");
    }

    @Test
    void anUnassignedTaskGoesToEveryMemberOfTheGroup() {
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("groupId", group, "title", "专班任务"));
        fields.put("assigneeId", null);
        publish(People.taskEvent("task.assigned.v1", fields), Topics.TASK_EVENTS);
        arrives(cadre, "专班任务");
        arrives(cadre2, "专班任务");
        arrives(lead, "专班任务");
    }

    @Test
    void dueSoonRemindsTheAssignee() {
        publish(People.taskEvent("task.due-soon.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "快到期")), Topics.TASK_EVENTS);
        arrives(cadre, "快到期");
        cadre.inbox().body("items.find { it.title.contains('快到期') }.title", containsString("催办"));
    }

    @Test
    void overdueGoesToTheAssigneeAndTheGroupLead() {
        publish(People.taskEvent("task.overdue.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "groupLeadId", lead.id(), "title", "逾期了")), Topics.TASK_EVENTS);
        arrives(cadre, "逾期了");
        arrives(lead, "逾期了");
    }

    @Test
    void anEscalationGoesToTheLaddersTargetAndIsUrgent() {
        publish(People.taskEvent("task.escalated.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "targetPersonId", leader.id(), "level", 3,
                "title", "升级督办")), Topics.TASK_EVENTS);
        arrives(leader, "升级督办");
        leader.inbox().body("items.find { it.title.contains('升级督办') }.urgent", equalTo(true));
        absent(cadre, "升级督办");
    }

    @Test
    void aSubmissionGoesToTheOffice() {
        publish(People.taskEvent("task.submitted.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "已办结")), Topics.TASK_EVENTS);
        arrives(office, "已办结");
        absent(cadre, "已办结");
    }

    @Test
    void aReturnGoesToTheAssigneeWithTheReason() {
        publish(People.taskEvent("task.returned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "被退回", "reason", "照片模糊")), Topics.TASK_EVENTS);
        arrives(cadre, "被退回");
        cadre.inbox().body("items.find { it.title.contains('被退回') }.body", containsString("照片模糊"));
    }

    @Test
    void anActionItemGoesToTheGroupLead() {
        publish(People.reviewEvent("review.action-item-created.v1", Map.of("groupId", group, "title", "会议交办事项A")), Topics.REVIEW_EVENTS);
        arrives(lead, "会议交办事项A");
        absent(cadre, "会议交办事项A");
    }

    @Test
    void aPublishedRankingGoesToEveryTownSecretaryAndTheLeaders() {
        String title = "观摩讲评会" + UUID.randomUUID().toString().substring(0, 4);
        publish(People.reviewEvent("review.ranking-published.v1", Map.of("meetingTitle", title)), Topics.REVIEW_EVENTS);
        arrives(secretary, title);
        arrives(otherSecretary, title);
        arrives(leader, title);
        absent(cadre, title);
    }

    @Test
    void aRequiredStatementGoesToThatTownsSecretary() {
        String title = "讲评会" + UUID.randomUUID().toString().substring(0, 4);
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("meetingTitle", title, "townId", town, "townName", "青禾镇", "rank", 10));
        fields.put("secretaryId", null);
        publish(People.reviewEvent("review.statement-required.v1", fields), Topics.REVIEW_EVENTS);
        arrives(secretary, title);
        absent(otherSecretary, title);
    }

    @Test
    void anEventForSomeoneTheDirectoryDoesNotKnowYetWaitsForThem() {
        Person newcomer = new Person(UUID.randomUUID(), "newcomer-" + UUID.randomUUID().toString().substring(0, 6), java.util.Set.of("CADRE"), group, null, null);
        publish(People.taskEvent("task.assigned.v1", Map.of("assigneeId", newcomer.id(), "groupId", group, "title", "新人的任务")), Topics.TASK_EVENTS);
        await().atMost(Duration.ofSeconds(20)).until(() -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> ((Number) app.fivestar.notification.inbox.Notification.getEntityManager()
                        .createNativeQuery("select count(*) from pending_routing where waiting_for = ?1").setParameter(1, newcomer.id())
                        .getSingleResult()).intValue()) == 1);
        People.publishPerson(newcomer);
        arrives(newcomer, "新人的任务");
    }

    @Test
    void theSameEventTwiceIsOneMessage() {
        CloudEvent e = People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "重复投递"));
        publish(e, Topics.TASK_EVENTS);
        publish(e, Topics.TASK_EVENTS);
        CloudEvent marker = People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "标记"));
        TestRecords.send(Topics.TASK_EVENTS, new CloudEvent(marker.specversion(), marker.id(), marker.source(), marker.type(), marker.time(),
                e.subject(), marker.datacontenttype(), marker.data()));
        arrives(cadre, "标记");
        assertEquals(1, cadre.inbox().extract().jsonPath().getList("items.findAll { it.title.contains('重复投递') }").size());
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicWithItsOriginAndTheNextStillArrives() {
        String key = UUID.randomUUID().toString();
        try (EventCapture dlt = EventCapture.on(Topics.deadLetter(Topics.TASK_EVENTS))) {
            TestRecords.send(Topics.TASK_EVENTS, key, "{not json".getBytes(StandardCharsets.UTF_8));
            CloudEvent next = People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "坏消息之后"));
            TestRecords.send(Topics.TASK_EVENTS, new CloudEvent(next.specversion(), next.id(), next.source(), next.type(), next.time(), key,
                    next.datacontenttype(), next.data()));
            arrives(cadre, "坏消息之后");
            ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(20))
                    .until(() -> dlt.records().stream().filter(r -> key.equals(r.key())).findFirst(), java.util.Optional::isPresent).get();
            assertEquals(Topics.TASK_EVENTS, header(dead, "dlt.original.topic"));
            assertEquals("notification-service", header(dead, "dlt.consumer.group"));
        }
    }

    @Test
    void aRecordThatBreaksItsContractIsDeadLetteredAtOnceWithTheError() {
        CloudEvent poison = People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "x"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) poison.data()).put("assigneeId", "not-a-uuid");
        try (EventCapture dlt = EventCapture.on(Topics.deadLetter(Topics.TASK_EVENTS))) {
            TestRecords.send(Topics.TASK_EVENTS, poison);
            ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(30))
                    .until(() -> dlt.records().stream().filter(r -> poison.subject().equals(r.key())).findFirst(), java.util.Optional::isPresent).get();
            // checked on receipt: never retried, never half-processed
            assertEquals(app.fivestar.platform.consumer.Failure.ContractBreach.class.getName(), header(dead, "dlt.error.class"));
            assertEquals("1", header(dead, "dlt.attempts"));
            org.junit.jupiter.api.Assertions.assertTrue(header(dead, "dlt.error.message").contains("assigneeId"), header(dead, "dlt.error.message"));
        }
    }

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @Test
    void aPoisonRecordInABatchIsDeadLetteredAloneAndTheRestOfTheBatchGoesThrough() {
        // five events under one key (one partition) produced together: one record batch, one poll, one transaction;
        // the third carries a NUL byte the database refuses (SQLState 22021, a data error: poison)
        String due = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(3).toString();
        String taskId = UUID.randomUUID().toString();
        List<CloudEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group,
                    "title", i == 2 ? "批内坏数据\u0000" + i : "批内第" + i + "条", "dueDate", due)));
        }
        double split = splitBatches();
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", app.fivestar.platform.testing.TestServers.get().kafkaBootstrap());
        props.put("linger.ms", "2000");
        try (EventCapture dlt = EventCapture.on(Topics.deadLetter(Topics.TASK_EVENTS));
             var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(props,
                     new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (CloudEvent e : events) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.TASK_EVENTS, taskId,
                        app.fivestar.platform.events.EventCodec.encode(e).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            for (int i : new int[] {0, 1, 3, 4}) {
                arrives(cadre, "批内第" + i + "条");
            }
            ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(30)).until(() -> dlt.records().stream()
                    .filter(r -> taskId.equals(r.key())).findFirst(), java.util.Optional::isPresent).get();
            assertEquals("1", header(dead, "dlt.attempts"), "a data error is poison: dead-lettered at its first attempt on its own");
            assertEquals(1, dlt.records().stream().filter(r -> taskId.equals(r.key())).count(), "only the poison record");
            absent(cadre, "批内坏数据");
            org.junit.jupiter.api.Assertions.assertTrue(splitBatches() > split, "the five went as one batch, which was split");
        }
    }

    double splitBatches() {
        var c = metrics.find("fivestar.events.batches_split").counter();
        return c == null ? 0 : c.count();
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static List<String> none() {
        return List.of();
    }
}
