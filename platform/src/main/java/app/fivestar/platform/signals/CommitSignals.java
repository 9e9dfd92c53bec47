package app.fivestar.platform.signals;

import app.fivestar.platform.worker.Backoff;
import app.fivestar.platform.worker.Worker;
import app.fivestar.platform.worker.Workers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Live streams pushed when a change commits instead of every client polling the database: a writer {@link #signal}s a
 * channel in its transaction (PostgreSQL {@code pg_notify}, delivered to listeners only when, and only if, that
 * transaction commits, on every replica), and a stream {@link #on subscribes} to the channel's signals of this instance.
 * One connection per service instance listens for all channels (a worker that reconnects with backoff). A stream still
 * looks on its own now and then, so a signal lost while the listener reconnects delays an event, never loses it.
 */
@ApplicationScoped
public class CommitSignals {

    private static final Pattern CHANNEL = Pattern.compile("[a-z_]{1,40}");

    @Inject
    EntityManager em;

    @Inject
    Workers workers;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres")
    String username;

    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String password;

    /** The channels this service's streams listen to (none: no listening connection). */
    @ConfigProperty(name = "fivestar.signals.channels")
    java.util.Optional<Set<String>> channels;

    private final Map<String, BroadcastProcessor<String>> processors = new ConcurrentHashMap<>();
    private Worker worker;

    /** Signals {@code channel} with {@code payload} when the current transaction commits. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void signal(String channel, String payload) {
        signalAll(channel, java.util.List.of(payload));
    }

    /** Signals {@code channel} once with each of {@code payloads} when the current transaction commits (one statement). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void signalAll(String channel, java.util.Collection<String> payloads) {
        if (payloads.isEmpty()) {
            return;
        }
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (var ps = connection.prepareStatement("select pg_notify(?, p) from unnest(cast(? as text[])) as u(p)")) {
                java.sql.Array array = connection.createArrayOf("text", new java.util.LinkedHashSet<>(payloads).toArray());
                ps.setString(1, channel);
                ps.setArray(2, array);
                ps.execute();
                array.free();
            }
        });
    }

    /** The payloads signalled on {@code channel} (one of {@code fivestar.signals.channels}) from now on, on any replica. */
    public Multi<String> on(String channel) {
        return processor(channel).onOverflow().drop();
    }

    private BroadcastProcessor<String> processor(String channel) {
        return processors.computeIfAbsent(channel, c -> BroadcastProcessor.create());
    }

    void onStart(@Observes StartupEvent e) {
        worker = workers.create("commit-signals", new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10)));
        if (channels.isEmpty() || channels.get().isEmpty()) {
            return;
        }
        worker.start(this::listen);
    }

    void onStop(@Observes ShutdownEvent e) {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(5));
        }
    }

    /** Listens until stopped; a lost connection is opened again after a backoff. */
    private void listen() {
        while (worker.running()) {
            try (Connection c = DriverManager.getConnection(url, username, password); Statement s = c.createStatement()) {
                for (String channel : channels.get()) {
                    if (!CHANNEL.matcher(channel).matches()) {
                        throw new IllegalArgumentException("not a channel name: " + channel);
                    }
                    s.execute("listen " + channel);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                worker.progressed();
                while (worker.running()) {
                    worker.beat();
                    PGNotification[] received = pg.getNotifications(500);
                    if (received != null) {
                        for (PGNotification n : received) {
                            processor(n.getName()).onNext(n.getParameter());
                        }
                    }
                }
            } catch (Exception ex) {
                if (worker.running()) {
                    worker.pause(worker.backoff().after(worker.failed(ex)));
                }
            }
        }
    }
}
