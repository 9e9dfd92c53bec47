package app.fivestar.platform.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

/** Turns events into the bytes on the wire and back; rejects anything that is not a complete envelope. */
public final class EventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EventCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNode toData(Object data) {
        return MAPPER.valueToTree(data);
    }

    /**
     * The envelope as a JSON tree, built field by field around the event's own data tree (not a copy of it): what a
     * contract is checked against and what is written, so an event is turned into JSON once. The same JSON Jackson
     * writes for the record (times ISO-8601 with their offset), which {@code EventCodecTest} holds it to.
     */
    public static ObjectNode tree(CloudEvent event) {
        ObjectNode tree = MAPPER.createObjectNode();
        tree.put("specversion", event.specversion());
        tree.put("id", event.id() == null ? null : event.id().toString());
        tree.put("source", event.source());
        tree.put("type", event.type());
        tree.put("time", event.time() == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.time()));
        tree.put("subject", event.subject());
        tree.put("datacontenttype", event.datacontenttype());
        tree.set("data", event.data());
        return tree;
    }

    public static String encode(CloudEvent event) {
        return encode(tree(event));
    }

    /** An envelope's {@link #tree} as the text on the wire. */
    public static String encode(ObjectNode envelope) {
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event cannot be serialised", e);
        }
    }

    /** Any value as compact JSON (journals, stored answers). */
    public static String encodeJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be serialised", e);
        }
    }

    /** Parses and checks an envelope. */
    public static CloudEvent decode(byte[] bytes) throws MalformedEventException {
        if (bytes == null) {
            throw new MalformedEventException("record has no value");
        }
        CloudEvent event;
        try {
            event = MAPPER.readValue(new String(bytes, StandardCharsets.UTF_8), CloudEvent.class);
        } catch (Exception e) {
            throw new MalformedEventException("not a CloudEvents JSON envelope: " + e.getMessage());
        }
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion()) || event.id() == null || event.type() == null
                || event.subject() == null || event.source() == null || event.data() == null || !event.data().isObject()) {
            throw new MalformedEventException("envelope lacks specversion 1.0, id, source, type, subject or data");
        }
        return event;
    }

    /** A record that can never be processed, however often it is retried. */
    public static final class MalformedEventException extends Exception {
        public MalformedEventException(String message) {
            super(message);
        }
    }
}
