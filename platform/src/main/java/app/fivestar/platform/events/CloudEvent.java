package app.fivestar.platform.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event in structured JSON mode. {@code subject} is the aggregate id and also the
 * Kafka record key, so one aggregate's events stay in order.
 */
public record CloudEvent(
        String specversion,
        UUID id,
        String source,
        String type,
        OffsetDateTime time,
        String subject,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public static CloudEvent of(String source, String type, String subject, JsonNode data, OffsetDateTime time) {
        return new CloudEvent(SPEC_VERSION, UUID.randomUUID(), source, type, time, subject, JSON, data);
    }

    /** Reads a string field of {@code data}, or null. */
    public String text(String field) {
        JsonNode node = data == null ? null : data.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
