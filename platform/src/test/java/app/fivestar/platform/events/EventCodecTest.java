package app.fivestar.platform.events;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The envelope tree the outbox checks and writes is the JSON Jackson writes for the event record: the same text, so
 * building it field by field changed nothing a consumer reads.
 */
class EventCodecTest {

    private static CloudEvent event(OffsetDateTime time) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("taskId", UUID.randomUUID());
        data.put("title", "整治村容村貌\u00e9\"quoted\"");
        data.put("dueDate", java.time.LocalDate.of(2026, 12, 3));
        data.put("assigneeId", null);
        data.put("evidence", List.of(Map.of("n", 1), Map.of("n", 2.5)));
        return CloudEvent.of("task-service", "task.submitted.v1", UUID.randomUUID().toString(), EventCodec.toData(data), time);
    }

    @Test
    void theTreeIsTheJsonJacksonWritesForTheRecord() throws Exception {
        for (OffsetDateTime time : List.of(OffsetDateTime.of(2026, 12, 3, 4, 5, 6, 123_456_789, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 12, 3, 12, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 12, 3, 12, 0, 0, 500_000_000, ZoneOffset.ofHours(8)))) {
            CloudEvent event = event(time);
            assertEquals(EventCodec.mapper().writeValueAsString(event), EventCodec.encode(event), "at " + time);
        }
        CloudEvent bare = new CloudEvent(CloudEvent.SPEC_VERSION, null, null, "t", null, null, null, null);
        assertEquals(EventCodec.mapper().writeValueAsString(bare), EventCodec.encode(bare));
    }

    @Test
    void theTreeHoldsTheEventsOwnDataAndReadsBack() throws Exception {
        CloudEvent event = event(OffsetDateTime.now(ZoneOffset.UTC));
        JsonNode tree = EventCodec.tree(event);
        assertSame(event.data(), tree.get("data"), "the data tree is not copied");
        assertEquals(event, EventCodec.decode(EventCodec.encode(event).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
