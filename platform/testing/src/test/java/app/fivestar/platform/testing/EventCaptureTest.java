package app.fivestar.platform.testing;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.servers.KafkaServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture reads its topic from the beginning, and late in a suite that topic holds every event the suite published
 * so far. Tests look for their own event by calling {@code events()} until it is there (Awaitility, 100 ms apart, 3–20 s):
 * each call must read on to the topic's end and decode each record once, or a busy topic outlasts their wait.
 */
class EventCaptureTest {

    static final int SUITE_SO_FAR = 40_000;

    @Test
    void aTestsEventAfterTensOfThousandsOfOthersIsSeenInAFewLooks(@TempDir Path dir) throws Exception {
        try (KafkaServer kafka = KafkaServer.start(dir.resolve("kafka"), 0);
             var producer = new KafkaProducer<String, byte[]>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                     ProducerConfig.LINGER_MS_CONFIG, 20,
                     ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                     ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            byte[] other = event("task.assigned.v1", "other").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < SUITE_SO_FAR; i++) {
                producer.send(new ProducerRecord<>("events", "other", other));
            }
            producer.send(new ProducerRecord<>("events", "mine", event("task.overdue.v1", "mine").getBytes(StandardCharsets.UTF_8)))
                    .get(60, TimeUnit.SECONDS);
            try (EventCapture capture = new EventCapture(kafka.bootstrapServers(), "events")) {
                int looks = 0;
                List<CloudEvent> seen = List.of();
                while (looks < 10 && seen.stream().noneMatch(e -> e.subject().equals("mine"))) {
                    seen = capture.events();
                    looks++;
                }
                assertTrue(seen.stream().anyMatch(e -> e.subject().equals("mine")), "after " + looks + " looks saw " + seen.size());
                assertEquals(SUITE_SO_FAR + 1, seen.size(), "each record once");
                assertEquals(SUITE_SO_FAR + 1, capture.events().size(), "a look with nothing new adds nothing");
            }
        }
    }

    static String event(String type, String subject) {
        return EventCodec.encode(CloudEvent.of("/test", type, subject, EventCodec.mapper().createObjectNode().put("n", 1),
                OffsetDateTime.parse("2026-11-30T00:00:00+08:00")));
    }
}
