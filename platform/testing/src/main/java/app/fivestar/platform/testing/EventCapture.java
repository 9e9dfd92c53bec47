package app.fivestar.platform.testing;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads what really arrived on a topic, from its beginning: how tests see the events a service published. */
public final class EventCapture implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    public EventCapture(String bootstrap, String... topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "capture-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        consumer.subscribe(List.of(topics));
    }

    /** Listens on the test JVM's broker. */
    public static EventCapture on(String... topics) {
        return new EventCapture(TestServers.get().kafkaBootstrap(), topics);
    }

    /** Polls once more and answers every record seen so far. */
    public synchronized List<ConsumerRecord<String, byte[]>> records() {
        consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        return List.copyOf(records);
    }

    /** Every well-formed event seen so far. */
    public List<CloudEvent> events() {
        List<CloudEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records()) {
            try {
                events.add(EventCodec.decode(r.value()));
            } catch (EventCodec.MalformedEventException e) {
                // not an event: tests that care look at records()
            }
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
