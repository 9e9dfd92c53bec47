package app.fivestar.platform.testing;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
    /** The well-formed events among {@link #records}, decoded once each; {@code decoded} records have been looked at. */
    private final List<CloudEvent> events = new ArrayList<>();
    private int decoded;

    public EventCapture(String bootstrap, String... topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "capture-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        consumer.subscribe(List.of(topics));
    }

    /** Listens on the test JVM's broker. */
    public static EventCapture on(String... topics) {
        return new EventCapture(TestServers.get().kafkaBootstrap(), topics);
    }

    /**
     * Reads on to the end of what the broker has and answers every record seen so far. Late in a suite the topic holds
     * every event published before, and tests call this until their event is there: one poll per call would take them
     * a hundred calls to get through fifty thousand records.
     */
    public synchronized List<ConsumerRecord<String, byte[]>> records() {
        ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(300));
        while (!batch.isEmpty()) {   // ends at the first poll that finds nothing more: the topic's end as of now
            batch.forEach(records::add);
            batch = consumer.poll(Duration.ofMillis(50));
        }
        return List.copyOf(records);
    }

    /** Every well-formed event seen so far (each record decoded once, however often this is called). */
    public synchronized List<CloudEvent> events() {
        records();
        for (; decoded < records.size(); decoded++) {
            try {
                events.add(EventCodec.decode(records.get(decoded).value()));
            } catch (EventCodec.MalformedEventException e) {
                // not an event: tests that care look at records()
            }
        }
        return List.copyOf(events);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
