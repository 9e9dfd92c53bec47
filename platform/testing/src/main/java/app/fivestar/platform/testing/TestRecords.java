package app.fivestar.platform.testing;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.tracing.Tracing;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Puts records on a real topic the way another service would, including broken ones. */
public final class TestRecords {

    private TestRecords() {
    }

    /** The record's W3C {@code traceparent} header, or null. */
    public static String traceparent(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(Tracing.TRACEPARENT);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The trace id in the record's {@code traceparent} header, or null. */
    public static String traceId(ConsumerRecord<?, ?> record) {
        String traceparent = traceparent(record);
        return traceparent == null ? null : traceparent.split("-")[1];
    }

    public static CloudEvent event(String source, String type, String subject, JsonNode data) {
        return CloudEvent.of(source, type, subject, data, OffsetDateTime.now(ZoneOffset.UTC));
    }

    public static void send(String bootstrap, String topic, CloudEvent event) {
        send(bootstrap, topic, event.subject(), EventCodec.encode(event).getBytes(StandardCharsets.UTF_8));
    }

    public static void send(String topic, CloudEvent event) {
        send(TestServers.get().kafkaBootstrap(), topic, event);
    }

    /** Sends an event with record headers, as a relay does ({@code traceparent}, for instance). */
    public static void send(String topic, CloudEvent event, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.subject(), EventCodec.encode(event).getBytes(StandardCharsets.UTF_8));
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        send(TestServers.get().kafkaBootstrap(), record);
    }

    public static void send(String topic, String key, byte[] value) {
        send(TestServers.get().kafkaBootstrap(), topic, key, value);
    }

    public static void send(String bootstrap, String topic, String key, byte[] value) {
        send(bootstrap, new ProducerRecord<>(topic, key, value));
    }

    private static void send(String bootstrap, ProducerRecord<String, byte[]> record) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send a test record to " + record.topic(), e);
        }
    }
}
