package app.fivestar.platform.outbox;

import app.fivestar.platform.locks.ClusterLock;
import app.fivestar.platform.MessagingConfig;
import app.fivestar.platform.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes outbox rows to Kafka in commit order and marks them published.
 *
 * <p>Several instances may run against one database: a batch is published only by the instance that holds
 * the transaction-scoped advisory lock, so two relays never publish the same rows at once and one
 * aggregate's events are never reordered. A failure rolls the batch back; it is sent again later
 * (at-least-once: consumers drop duplicates through their inbox).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Any constant: each service has its own database. */
    private static final int LOCKED_ELSEWHERE = -1;

    @Inject
    EntityManager entityManager;

    @Inject
    EventProducer producer;

    @Inject
    MessagingConfig config;

    @Inject
    MeterRegistry metrics;

    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong backlog = new AtomicLong();
    private volatile boolean running;
    private Thread thread;
    private Instant nextPrune = Instant.EPOCH;

    void onStart(@Observes StartupEvent event) {
        metrics.gauge("fivestar.outbox.backlog", backlog);
        if (!config.enabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wake();
        if (thread != null) {
            thread.join(10_000);
        }
    }

    /** Called after a commit that wrote outbox rows. */
    public void wake() {
        wakeups.release();
    }

    /** Rows not yet published, as last counted. */
    public long backlog() {
        return backlog.get();
    }

    private void run() {
        int failures = 0;
        while (running) {
            try {
                int published = relayBatch();
                failures = 0;
                if (published == LOCKED_ELSEWHERE) {
                    pause(Duration.ofMillis(100));
                } else if (published < config.relayBatchSize()) {
                    updateBacklog();
                    pruneWhenDue();
                    pause(config.relayPollInterval());
                }
            } catch (RuntimeException e) {
                failures++;
                producer.reset();
                Duration backoff = Duration.ofMillis(Math.min(10_000, 250L << Math.min(failures, 6)));
                LOG.warnf("outbox relay failed (attempt %d, next in %d ms): %s", failures, backoff.toMillis(), e.toString());
                pause(backoff);
            }
        }
    }

    /** Publishes one batch; answers how many rows it published, or {@link #LOCKED_ELSEWHERE}. */
    int relayBatch() {
        return QuarkusTransaction.requiringNew().timeout(120).call(() -> {
            if (!ClusterLock.OUTBOX_RELAY.tryAcquire(entityManager)) {
                return LOCKED_ELSEWHERE;
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entityManager.createNativeQuery(
                            "select seq, topic, record_key, type, payload, event_id, trace_parent from outbox_event "
                                    + "where published_at is null order by seq limit ?1")
                    .setParameter(1, config.relayBatchSize())
                    .getResultList();
            if (rows.isEmpty()) {
                return 0;
            }
            Producer<String, byte[]> kafka = producer.get();
            List<Future<RecordMetadata>> sent = new ArrayList<>(rows.size());
            List<Long> seqs = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>((String) row[1], (String) row[2],
                        ((String) row[4]).getBytes(StandardCharsets.UTF_8));
                record.headers().add(new RecordHeader("ce_id", row[5].toString().getBytes(StandardCharsets.UTF_8)));
                record.headers().add(new RecordHeader("ce_type", ((String) row[3]).getBytes(StandardCharsets.UTF_8)));
                if (row[6] != null) {
                    record.headers().add(new RecordHeader(Tracing.TRACEPARENT, ((String) row[6]).getBytes(StandardCharsets.UTF_8)));
                }
                sent.add(kafka.send(record));
                seqs.add(((Number) row[0]).longValue());
            }
            kafka.flush();
            for (Future<RecordMetadata> f : sent) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("publishing failed: " + e.getMessage(), e);
                }
            }
            entityManager.createNativeQuery("update outbox_event set published_at = now() where seq in (?1)")
                    .setParameter(1, seqs).executeUpdate();
            for (Object[] row : rows) {
                metrics.counter("fivestar.events.published", "topic", (String) row[1], "type", (String) row[3]).increment();
            }
            return rows.size();
        });
    }

    private void updateBacklog() {
        Number count = QuarkusTransaction.requiringNew().call(() -> (Number) entityManager
                .createNativeQuery("select count(*) from outbox_event where published_at is null").getSingleResult());
        backlog.set(count.longValue());
    }

    private void pruneWhenDue() {
        Instant now = Instant.now();
        if (now.isBefore(nextPrune)) {
            return;
        }
        nextPrune = now.plus(config.pruneInterval());
        OffsetDateTime outboxCutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.outboxRetention());
        OffsetDateTime inboxCutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.inboxRetention());
        OffsetDateTime idempotencyCutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.idempotencyRetention());
        QuarkusTransaction.requiringNew().run(() -> {
            entityManager.createNativeQuery("delete from outbox_event where published_at < ?1")
                    .setParameter(1, outboxCutoff).executeUpdate();
            entityManager.createNativeQuery("delete from inbox_event where processed_at < ?1")
                    .setParameter(1, inboxCutoff).executeUpdate();
            entityManager.createNativeQuery("delete from idempotency_record where created_at < ?1")
                    .setParameter(1, idempotencyCutoff).executeUpdate();
        });
    }

    private void pause(Duration duration) {
        try {
            if (wakeups.tryAcquire(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeups.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
