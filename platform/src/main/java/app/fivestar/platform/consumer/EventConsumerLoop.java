package app.fivestar.platform.consumer;

import app.fivestar.platform.MessagingConfig;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.outbox.EventProducer;
import app.fivestar.platform.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import app.fivestar.platform.worker.Backoff;
import app.fivestar.platform.worker.Worker;
import app.fivestar.platform.worker.Workers;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The one consumer loop of a service: polls the topics its {@link EventHandler}s declare, runs the handlers of a
 * poll's records (of all its partitions, each partition's in order) in one transaction with their inbox check (record by record if that fails), writes what
 * the handlers queued to be written together ({@link app.fivestar.platform.sql.WriteBehind}) before it commits, and
 * commits offsets only after that. What a failure means decides what happens ({@link Failure}): a record that can never be processed
 * goes to {@code <topic>.DLT} at once with the error and its origin in headers; while the database or the broker is
 * away the consumer pauses its partitions, keeps its place in the group, and retries the same record with capped
 * backoff until it goes through (never dead-lettered); an unexpected error gets a few attempts first.
 */
@ApplicationScoped
public class EventConsumerLoop {

    private static final Logger LOG = Logger.getLogger(EventConsumerLoop.class);

    @Inject
    @Any
    Instance<EventHandler> handlers;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    Inbox inbox;

    @Inject
    EventProducer producer;

    @Inject
    MessagingConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    Tracing tracing;

    @Inject
    javax.sql.DataSource dataSource;

    @Inject
    jakarta.persistence.EntityManager entityManager;

    @Inject
    app.fivestar.platform.sql.WriteBehind writeBehind;

    private final java.util.concurrent.atomic.AtomicLong blocked = new java.util.concurrent.atomic.AtomicLong();
    @Inject
    Workers workers;

    private volatile KafkaConsumer<String, byte[]> consumer;
    private Worker worker;

    void onStart(@Observes StartupEvent event) {
        worker = workers.create("event-consumer", new Backoff(config.retryBackoff(), Duration.ofSeconds(10)));
        if (!config.enabled() || handlers.isUnsatisfied()) {
            return;
        }
        worker.start(this::run);
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.requestStop();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        worker.stop(Duration.ofSeconds(15));
    }

    private boolean running() {
        return worker.running();
    }

    private void run() {
        List<String> topics = handlers.stream().map(EventHandler::topic).distinct().sorted().collect(Collectors.toList());
        while (running()) {
            KafkaConsumer<String, byte[]> c = newConsumer();
            // the consumer's own metrics, lag among them (kafka_consumer_fetch_manager_records_lag_max)
            io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics clientMetrics =
                    new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(c);
            clientMetrics.bindTo(metrics);
            try {
                consumer = c;
                c.subscribe(topics);
                LOG.infof("consuming %s as %s", topics, config.consumerGroup());
                while (running()) {
                    worker.beat();
                    ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                    List<ConsumerRecord<String, byte[]>> poll = new java.util.ArrayList<>(records.count());
                    for (TopicPartition partition : records.partitions()) { // each partition's records stay in their order
                        List<ConsumerRecord<String, byte[]>> batch = records.records(partition);
                        poll.addAll(batch);
                        done.put(partition, new OffsetAndMetadata(batch.get(batch.size() - 1).offset() + 1));
                    }
                    if (!poll.isEmpty()) {
                        process(poll);
                        c.commitSync(done);
                    }
                    worker.progressed();
                }
            } catch (WakeupException e) {
                // shutting down
            } catch (RuntimeException e) {
                // Offsets of unfinished records were not committed: a new consumer resumes from them.
                worker.pause(worker.backoff().after(worker.failed(e)));
            } finally {
                consumer = null;
                clientMetrics.close();
                // bounded: a broker that is already gone must not hold the shutdown (the default waits 30 s)
                c.close(Duration.ofSeconds(5));
            }
        }
    }

    /** A record decoded, checked against its contract and with the handlers that want it. */
    private record Ready(ConsumerRecord<String, byte[]> record, CloudEvent event, List<EventHandler> handlers) {
    }

    /**
     * A poll's records, of every partition it returned: all in one transaction (each with its inbox check), so a burst of
     * events costs one commit, not one per event or per partition. If that transaction fails, the same records go again one by one ({@link #deliver}),
     * so only a poison record is dead-lettered and an outage is waited out record by record.
     */
    private void process(List<ConsumerRecord<String, byte[]>> batch) {
        List<Ready> ready = new java.util.ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> record : batch) {
            Ready r = prepare(record);
            if (r != null) {
                ready.add(r);
            }
        }
        if (ready.size() > 1) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    // the inbox check of the whole batch in one statement; a record polled twice is handled once
                    java.util.Set<java.util.UUID> first = inbox.firstDeliveries(ready.stream().map(Ready::event).toList(), config.consumerGroup());
                    for (Ready r : ready) {
                        if (first.remove(r.event().id())) {
                            tracing.consuming(r.record(), r.event().id().toString(), r.event().type(), () -> r.handlers().forEach(h -> h.handle(r.event())));
                            // each event's handlers start from the database as they would in a transaction of their own
                            entityManager.flush();
                            entityManager.clear();
                        }
                    }
                    writeBehind.flush();
                });
                ready.forEach(r -> metrics.counter("fivestar.events.consumed", "topic", r.record().topic(), "type", r.event().type()).increment());
                return;
            } catch (RuntimeException e) {
                LOG.debugf(e, "a batch of %d records failed: each goes again on its own", ready.size());
                metrics.counter("fivestar.events.batches_split", "topic", ready.get(0).record().topic()).increment();
            }
        }
        for (Ready r : ready) {
            tracing.consuming(r.record(), r.event().id().toString(), r.event().type(), () -> deliver(r.record(), r.event(), r.handlers()));
        }
    }

    /** The event of a record, or null when no handler wants it or it went to the dead-letter topic (malformed, breaks its contract). */
    private Ready prepare(ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        try {
            event = EventCodec.decode(record.value());
        } catch (EventCodec.MalformedEventException e) {
            deadLetter(record, e, 1);
            return null;
        }
        List<EventHandler> interested = handlers.stream()
                .filter(h -> h.topic().equals(record.topic()) && h.types().contains(event.type()))
                .collect(Collectors.toList());
        if (interested.isEmpty()) {
            return null;
        }
        if (config.validateContracts()) {
            List<String> problems = ContractValidator.problems(event);
            if (!problems.isEmpty()) {
                deadLetter(record, new Failure.ContractBreach("event " + event.type() + " breaks its contract: " + problems), 1);
                return null;
            }
        }
        return new Ready(record, event, interested);
    }

    /** The handlers, unless this consumer group has processed the event before (the inbox check), in the current transaction. */
    private void handle(CloudEvent event, List<EventHandler> interested) {
        if (inbox.firstDelivery(event, config.consumerGroup())) {
            interested.forEach(h -> h.handle(event));
            writeBehind.flush();
        }
    }

    /**
     * Runs the handlers with the inbox check until they go through: a poison record is dead-lettered at once, an
     * infrastructure failure is retried for as long as it lasts (partitions paused, the group kept), an unexpected
     * one {@code maxAttempts} times unless the database turns out to be away.
     */
    private void deliver(ConsumerRecord<String, byte[]> record, CloudEvent event, List<EventHandler> interested) {
        int attempt = 0;
        int outage = 0;
        while (running()) {
            attempt++;
            try {
                QuarkusTransaction.requiringNew().run(() -> handle(event, interested));
                metrics.counter("fivestar.events.consumed", "topic", record.topic(), "type", event.type()).increment();
                if (outage > 0) {
                    LOG.infof("%s %s went through after %d attempt(s)", event.type(), event.id(), attempt);
                    blocked.set(0);
                }
                return;
            } catch (RuntimeException e) {
                Failure failure = Failure.of(e);
                if (failure == Failure.UNKNOWN && attempt >= config.maxAttempts() && !databaseAnswers()) {
                    failure = Failure.INFRASTRUCTURE; // the error hid an outage
                }
                switch (failure) {
                    case POISON -> {
                        deadLetter(record, e, attempt);
                        return;
                    }
                    case INFRASTRUCTURE -> {
                        outage++;
                        blocked.compareAndSet(0, System.currentTimeMillis());
                        worker.failed(rootCause(e));
                        Duration backoff = worker.backoff().after(outage);
                        LOG.warnf("%s %s waits for the infrastructure (attempt %d, next in %d ms)", event.type(), event.id(), attempt,
                                backoff.toMillis());
                        metrics.counter("fivestar.events.retried", "topic", record.topic(), "reason", "infrastructure").increment();
                        waitKeepingTheGroup(record, backoff);
                    }
                    case UNKNOWN -> {
                        if (attempt >= config.maxAttempts()) {
                            deadLetter(record, e, attempt);
                            return;
                        }
                        LOG.debugf(e, "attempt %d at %s %s failed", attempt, event.type(), event.id());
                        worker.pause(worker.backoff().after(attempt));
                    }
                }
            }
        }
        throw new WakeupException();
    }

    /**
     * Waits while the partitions stay paused but the consumer keeps polling, so the group does not evict it during a
     * long outage. A partition taken away meanwhile ends the batch: its new owner resumes from the committed offset.
     */
    private void waitKeepingTheGroup(ConsumerRecord<String, byte[]> record, Duration backoff) {
        KafkaConsumer<String, byte[]> c = consumer;
        if (c == null) {
            worker.pause(backoff);
            return;
        }
        var assigned = c.assignment();
        c.pause(assigned);
        try {
            long until = System.nanoTime() + backoff.toNanos();
            while (running() && System.nanoTime() < until) {
                worker.beat();
                // a partition assigned during this poll is not paused yet and may return records: put them back
                ConsumerRecords<String, byte[]> stray = c.poll(Duration.ofMillis(Math.min(500, Math.max(1, (until - System.nanoTime()) / 1_000_000))));
                for (TopicPartition tp : stray.partitions()) {
                    c.seek(tp, stray.records(tp).get(0).offset());
                }
                c.pause(c.assignment());
            }
        } finally {
            if (!c.assignment().contains(new TopicPartition(record.topic(), record.partition()))) {
                throw new PartitionRevoked();
            }
            c.resume(c.assignment());
        }
    }

    /** Whether a fresh connection to the service's database answers now. */
    private boolean databaseAnswers() {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute("select 1");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Since when (epoch ms) the loop has been waiting for the infrastructure; 0 while it makes progress. */
    public long blockedSince() {
        return blocked.get();
    }

    /** The partition of the record being retried was given to another consumer: start over from committed offsets. */
    static final class PartitionRevoked extends RuntimeException {
        PartitionRevoked() {
            super("partition revoked while waiting for the infrastructure", null, false, false);
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, Exception error, int attempts) {
        Throwable cause = rootCause(error);
        LOG.errorf("dead-lettering %s-%d@%d after %d attempt(s): %s", record.topic(), record.partition(), record.offset(),
                attempts, cause.toString());
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.deadLetter(record.topic()), record.key(), record.value());
        record.headers().forEach(h -> dead.headers().add(h));
        header(dead, "dlt.error.class", cause.getClass().getName());
        header(dead, "dlt.error.message", String.valueOf(cause.getMessage()));
        header(dead, "dlt.original.topic", record.topic());
        header(dead, "dlt.original.partition", Integer.toString(record.partition()));
        header(dead, "dlt.original.offset", Long.toString(record.offset()));
        header(dead, "dlt.consumer.group", config.consumerGroup());
        header(dead, "dlt.attempts", Integer.toString(attempts));
        try {
            producer.get().send(dead).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            producer.reset();
            throw new IllegalStateException("could not write to " + dead.topic(), e);
        }
        metrics.counter("fivestar.events.dead_lettered", "topic", record.topic()).increment();
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Map<String, Object> props = app.fivestar.platform.KafkaClientProperties.from(kafkaConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
