package app.fivestar.platform.deadletter;

import app.fivestar.platform.KafkaClientProperties;
import app.fivestar.platform.consumer.EventHandler;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.outbox.EventProducer;
import app.fivestar.platform.problem.Problems;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The dead letters of the topics this service consumes, as an administrator sees and replays them. A replay puts the
 * record (or a fixed copy) back on its original topic with its key; the consumer's inbox makes a replay of something
 * already handled harmless. Only this consumer group's letters are shown: each service answers for its own.
 */
@ApplicationScoped
public class DeadLetters {

    static final int MAX_LISTED = 500;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    @Any
    Instance<EventHandler> handlers;

    @Inject
    EventProducer producer;

    @Inject
    app.fivestar.platform.MessagingConfig config;

    /** One dead letter with why it died and where it came from. */
    public record Letter(String topic, int partition, long offset, String key, Instant deadAt, String errorClass, String errorMessage,
                         String originalTopic, Integer originalPartition, Long originalOffset, Integer attempts, String value) {
    }

    /** The topics whose dead letters this service answers for. */
    public Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        handlers.forEach(h -> topics.add(h.topic()));
        return topics;
    }

    /** The dead letters of {@code topic} (its .DLT), oldest first, at most {@value #MAX_LISTED}. */
    public List<Letter> list(String topic) {
        return read(topic, l -> true, MAX_LISTED);
    }

    /** Puts one letter back on its original topic, its value replaced by {@code fixed} when given. */
    public Letter replay(String topic, int partition, long offset, byte[] fixed) {
        List<Letter> found = read(topic, l -> l.partition() == partition && l.offset() == offset, 1);
        if (found.isEmpty()) {
            throw Problems.notFound("没有这条死信：" + Topics.deadLetter(topic) + "-" + partition + "@" + offset);
        }
        Letter letter = found.get(0);
        send(letter, fixed);
        return letter;
    }

    /** Puts every listed letter back on its original topic; answers how many. */
    public int replayAll(String topic) {
        List<Letter> letters = list(topic);
        letters.forEach(l -> send(l, null));
        return letters.size();
    }

    private void send(Letter letter, byte[] fixed) {
        String target = letter.originalTopic() == null ? letter.topic() : letter.originalTopic();
        byte[] value = fixed != null ? fixed : letter.value() == null ? null : letter.value().getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(target, letter.key(), value);
        record.headers().add("dlt.replayed.from", (Topics.deadLetter(letter.topic()) + "-" + letter.partition() + "@" + letter.offset())
                .getBytes(StandardCharsets.UTF_8));
        try {
            producer.get().send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            producer.reset();
            throw new IllegalStateException("could not replay to " + target, e);
        }
    }

    private List<Letter> read(String topic, Predicate<Letter> wanted, int limit) {
        if (!topics().contains(topic)) {
            throw Problems.notFound("本服务不消费此主题：" + topic);
        }
        String dlt = Topics.deadLetter(topic);
        Map<String, Object> props = KafkaClientProperties.from(kafkaConfig);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<Letter> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(props)) {
            List<PartitionInfo> infos = reader.partitionsFor(dlt, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(dlt, p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && out.size() < limit
                    && partitions.stream().anyMatch(tp -> reader.position(tp, Duration.ofSeconds(5)) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    if (!config.consumerGroup().equals(header(r, "dlt.consumer.group"))) {
                        continue;
                    }
                    Letter l = letter(topic, r);
                    if (wanted.test(l) && out.size() < limit) {
                        out.add(l);
                    }
                }
            }
        }
        out.sort(Comparator.comparing(Letter::deadAt));
        return out;
    }

    private static Letter letter(String topic, ConsumerRecord<String, byte[]> r) {
        return new Letter(topic, r.partition(), r.offset(), r.key(), Instant.ofEpochMilli(r.timestamp()),
                header(r, "dlt.error.class"), header(r, "dlt.error.message"), header(r, "dlt.original.topic"),
                number(header(r, "dlt.original.partition"), Integer::valueOf), number(header(r, "dlt.original.offset"), Long::valueOf),
                number(header(r, "dlt.attempts"), Integer::valueOf),
                r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static <T> T number(String s, java.util.function.Function<String, T> parse) {
        try {
            return s == null ? null : parse.apply(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

}
