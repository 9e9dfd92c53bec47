package app.fivestar.platform.outbox;

import app.fivestar.platform.MessagingConfig;
import app.fivestar.platform.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import app.fivestar.platform.worker.Worker;
import app.fivestar.platform.worker.Workers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes outbox rows to Kafka in commit order and marks them published.
 *
 * <p>Several instances may run against one database: only the instance holding the relay lease publishes (a row in
 * {@code outbox_relay_lease}, {@link #LEASE} long, renewed once a third of it has passed; taken over when it runs out,
 * released at a clean stop), so one aggregate's events are not reordered. Each batch is read only while the lease is
 * this instance's (checked in the same statement), so a lease taken away is noticed at the next batch, without a
 * write of the lease row per batch. A batch is read, then sent and acknowledged with no transaction open (never a
 * lock held across a network call), and marked published by the next read: one statement marks the batch Kafka
 * acknowledged and reads the next (so under a stream of events each batch costs one statement, not two
 * transactions), and the relay reads again at once after every batch, so an acknowledged batch is marked within
 * milliseconds even when nothing follows it. A failure between the send and the mark leaves the rows unpublished:
 * they are sent again (at-least-once: consumers drop duplicates through their inbox — a relay that stalled past its
 * lease may send a batch its successor already sent, and the inbox drops those too).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final int LOCKED_ELSEWHERE = -1;
    /** How long a relay's lease lasts unless renewed; a relay that died is replaced after at most this long. */
    static final Duration LEASE = Duration.ofSeconds(15);

    @Inject
    EntityManager entityManager;

    @Inject
    javax.sql.DataSource dataSource;

    @Inject
    EventProducer producer;

    @Inject
    MessagingConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    Workers workers;

    private final AtomicLong backlog = new AtomicLong();
    /** The last batch Kafka acknowledged, not yet marked published: the next read marks it. Only the relay's thread uses it. */
    private long[] acknowledged = new long[0];
    private Worker worker;
    /** This instance, as the lease names it (stable across a restart on the same host and port, so it takes its lease back at once). */
    private final String me = hostName() + ":" + org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getOptionalValue("quarkus.http.port", String.class).orElse("?");
    private Instant nextPrune = Instant.EPOCH;
    /** When the lease is next renewed ({@link System#nanoTime}); a third of {@link #LEASE} after the last renewal. */
    private long renewAt = System.nanoTime();
    /** When the backlog is next counted: at most once a second (it is a gauge, and a count per batch cost a query). */
    private long countAt = System.nanoTime();

    void onStart(@Observes StartupEvent event) {
        metrics.gauge("fivestar.outbox.backlog", backlog);
        worker = workers.create("outbox-relay");
        if (!config.enabled()) {
            return;
        }
        worker.start(this::step, config.relayPollInterval());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(10));
        }
        if (config.enabled()) {
            try {
                markAcknowledged(); // what Kafka acknowledged last is not sent again after the restart
            } catch (RuntimeException e) {
                // the database is away: those rows are sent again (consumers drop the duplicates)
            }
            try {
                // another instance takes over at once instead of waiting for the lease to run out
                QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                        "update outbox_relay_lease set until = now() where id = 1 and holder = ?1").setParameter(1, me).executeUpdate());
            } catch (RuntimeException e) {
                // the database is away: the lease runs out by itself
            }
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** Takes or renews the lease; false while another instance holds it. */
    boolean lease() {
        return QuarkusTransaction.requiringNew().call(() -> !entityManager.createNativeQuery(
                        "insert into outbox_relay_lease (id, holder, until) values (1, ?1, now() + make_interval(secs => ?2)) "
                                + "on conflict (id) do update set holder = excluded.holder, until = excluded.until "
                                + "where outbox_relay_lease.until < now() or outbox_relay_lease.holder = excluded.holder returning holder")
                .setParameter(1, me).setParameter(2, (double) LEASE.toSeconds()).getResultList().isEmpty());
    }

    /** Called after a commit that wrote outbox rows. */
    public void wake() {
        if (worker != null) {
            worker.wake();
        }
    }

    /** Rows not yet published, as last counted. */
    public long backlog() {
        return backlog.get();
    }

    /**
     * One batch; true when one went out (the next step marks it and reads on at once), false when there was nothing to
     * send. A failure resets the producer and is retried by the worker.
     */
    private boolean step() {
        int published;
        try {
            published = relayBatch();
        } catch (RuntimeException e) {
            producer.reset();
            throw e;
        }
        if (published == LOCKED_ELSEWHERE) {
            worker.pause(Duration.ofMillis(100));
            return true;
        }
        if (published == 0) {
            if (System.nanoTime() - countAt >= 0) {
                countAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                updateBacklog();
            }
            pruneWhenDue();
            return false;
        }
        return true;
    }

    /** Publishes one batch; answers how many rows it published, or {@link #LOCKED_ELSEWHERE}. */
    int relayBatch() {
        if (System.nanoTime() - renewAt >= 0) {
            long asked = System.nanoTime();
            if (!lease()) {
                if (acknowledged.length > 0) {
                    markAcknowledged(); // sent by this instance before another took the lease
                }
                return LOCKED_ELSEWHERE;
            }
            renewAt = asked + LEASE.toNanos() / 3;
        }
        List<Object[]> rows = readMarking(config.relayBatchSize());
        if (rows.isEmpty()) {
            return 0;
        }
        // no transaction is open from here until the acknowledgements are in
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped while publishing", e);
            } catch (Exception e) {
                throw new IllegalStateException("publishing failed: " + e.getMessage(), e);
            }
        }
        acknowledged = seqs.stream().mapToLong(Long::longValue).toArray(); // marked by the next read
        for (Object[] row : rows) {
            metrics.counter("fivestar.events.published", "topic", (String) row[1], "type", (String) row[3]).increment();
        }
        return rows.size();
    }

    /**
     * One statement on a connection of its own in autocommit (one round trip, no transaction left open): marks the
     * batch Kafka acknowledged last as published and reads up to {@code limit} unpublished rows after it, in commit
     * order, while the lease is this instance's. The rows it marks are still unpublished in the read's snapshot, so
     * the read leaves them out by their numbers.
     */
    private List<Object[]> readMarking(int limit) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            try (java.sql.PreparedStatement s = c.prepareStatement("with marked as (update outbox_event set published_at = now() "
                    + "where seq = any(?) and published_at is null) "
                    + "select seq, topic, record_key, type, payload, event_id, trace_parent from outbox_event "
                    + "where published_at is null and seq <> all(?) and exists (select 1 from outbox_relay_lease l where l.id = 1 "
                    + "and l.holder = ? and l.until > now()) order by seq limit ?")) {
                java.sql.Array marking = c.createArrayOf("bigint", java.util.Arrays.stream(acknowledged).boxed().toArray());
                s.setArray(1, marking);
                s.setArray(2, marking);
                s.setString(3, me);
                s.setInt(4, limit);
                List<Object[]> rows = new ArrayList<>();
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getObject(6), rs.getString(7)});
                    }
                }
                acknowledged = new long[0];
                return rows;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not read the outbox: " + e.getMessage(), e);
        }
    }

    /** Marks the batch Kafka acknowledged last, reading nothing. */
    private void markAcknowledged() {
        readMarking(0);
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
}
