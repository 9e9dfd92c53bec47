package app.fivestar.notification.routing;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.notification.delivery.Notifier;
import app.fivestar.notification.message.Message;
import app.fivestar.notification.message.NotificationKind;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestServers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A poll's messages and deliveries are written together at the end of its transaction (platform WriteBehind): what
 * the batch makes is written once, with the deliveries of exactly the messages written.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class FanOutBatchTest {

    @Inject
    EntityManager em;

    @Inject
    Notifier notifier;

    long count(String sql, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).setParameter(1, id).getSingleResult()).longValue());
    }

    long messages(Person p) {
        return count("select count(*) from notification where recipient_id = ?1", p.id());
    }

    long emails(Person p) {
        return count("select count(*) from delivery where recipient_id = ?1 and channel = 'EMAIL'", p.id());
    }

    @Test
    void aPollWithTheSameRecordTwiceMakesEachMessageAndItsEmailOnce() {
        UUID group = UUID.randomUUID();
        Person cadre = People.person("CADRE", group, null);
        String due = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(3).toString();
        List<CloudEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "批量第" + i + "条", "dueDate", due)));
        }
        events.add(2, events.get(1)); // the relay sent one record twice (it died before it marked it sent)
        String key = UUID.randomUUID().toString();
        Properties props = new Properties();
        props.put("bootstrap.servers", TestServers.get().kafkaBootstrap());
        props.put("linger.ms", "2000"); // one produce batch: one poll, one transaction
        try (var producer = new KafkaProducer<String, byte[]>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (CloudEvent e : events) {
                producer.send(new ProducerRecord<>(Topics.TASK_EVENTS, key, EventCodec.encode(e).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> messages(cadre) == 4);
        assertEquals(4, emails(cadre), "one e-mail per message");
        cadre.inbox().body("items.title.findAll { it.startsWith('新任务：批量第') }.size()", org.hamcrest.Matchers.equalTo(4));
    }

    @Test
    void anEventRoutedAgainWhenItsLastRecipientIsKnownDoesNotRepeatTheOthersMessageOrEmail() {
        UUID group = UUID.randomUUID();
        Person cadre = People.person("CADRE", group, null);
        Person lead = new Person(UUID.randomUUID(), "lead-" + UUID.randomUUID().toString().substring(0, 8), java.util.Set.of("GROUP_LEAD"), group, null,
                "late-lead@fivestar.example");
        CloudEvent overdue = People.taskEvent("task.overdue.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "groupLeadId", lead.id(), "title", "等组长"));
        app.fivestar.platform.testing.TestRecords.send(Topics.TASK_EVENTS, overdue);
        await().atMost(Duration.ofSeconds(20)).until(() -> messages(cadre) == 1 && count("select count(*) from pending_routing where waiting_for = ?1", lead.id()) == 1);
        assertEquals(1, emails(cadre));

        People.publishPerson(lead); // the parked event is routed again: to the lead, and to the cadre once more
        await().atMost(Duration.ofSeconds(20)).until(() -> messages(lead) == 1);
        assertEquals(1, messages(cadre), "the cadre's message is not made twice");
        assertEquals(1, emails(cadre), "nor its e-mail");
        assertEquals(1, emails(lead));
    }

    @Test
    void twoNewcomersInOneDirectoryPollBothGetTheEventThatWaitedForThem() {
        // an overdue task of two people the directory does not know yet: it waits for both
        UUID group = UUID.randomUUID();
        Person assignee = new Person(UUID.randomUUID(), "new-a-" + UUID.randomUUID().toString().substring(0, 6), java.util.Set.of("CADRE"), group, null,
                "new-a@fivestar.example");
        Person lead = new Person(UUID.randomUUID(), "new-l-" + UUID.randomUUID().toString().substring(0, 6), java.util.Set.of("GROUP_LEAD"), group, null,
                "new-l@fivestar.example");
        app.fivestar.platform.testing.TestRecords.send(Topics.TASK_EVENTS, People.taskEvent("task.overdue.v1",
                Map.of("assigneeId", assignee.id(), "groupId", group, "groupLeadId", lead.id(), "title", "两位新人")));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("select count(*) from pending_routing where waiting_for = ?1", lead.id()) == 1);
        // both join in one directory poll (one partition, one produce batch, one transaction): the first one's routing
        // looks the second up and does not find them yet; the second one's must find them
        Properties props = new Properties();
        props.put("bootstrap.servers", TestServers.get().kafkaBootstrap());
        props.put("linger.ms", "2000");
        try (var producer = new KafkaProducer<String, byte[]>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (Person p : List.of(assignee, lead)) {
                producer.send(new ProducerRecord<>(Topics.DIRECTORY_EVENTS, 0, p.id().toString(),
                        EventCodec.encode(People.personEvent(p)).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> messages(lead) == 1);
        assertEquals(1, messages(assignee));
    }

    @Test
    void rowsQueuedInATransactionThatEndsWithoutAFlushAreWrittenWhenItCommits() {
        Person cadre = People.person("CADRE", UUID.randomUUID(), null);
        CloudEvent e = People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", UUID.randomUUID(), "title", "不经消费者"));
        QuarkusTransaction.requiringNew().run(() -> notifier.notify(e, cadre.id(),
                new Message(NotificationKind.TASK_ASSIGNED, "不经消费者", "正文", "/tasks/" + UUID.randomUUID())));
        assertEquals(1, messages(cadre));
        assertEquals(1, emails(cadre));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            notifier.notify(e, cadre.id(), new Message(NotificationKind.TASK_ASSIGNED, "不经消费者", "正文", null));
            throw new IllegalStateException("the work failed after the message was queued");
        }));
        assertEquals(1, messages(cadre), "a transaction rolled back writes nothing");
    }
}
