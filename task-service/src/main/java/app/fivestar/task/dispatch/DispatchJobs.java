package app.fivestar.task.dispatch;

import app.fivestar.platform.outbox.AfterCommit;
import app.fivestar.platform.worker.Backoff;
import app.fivestar.platform.worker.Worker;
import app.fivestar.platform.worker.Workers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Runs pending dispatches (a background worker, woken when one is recorded): each in one transaction that holds its
 * dispatch row ({@code for no key update skip locked}: replicas take different ones), creates every task and marks it
 * DONE, so a crash or a database outage rolls the whole job back and it runs again; never half a dispatch. Progress is
 * written after each step in a transaction of its own, for {@code GET /api/v1/dispatches/{id}}.
 */
@ApplicationScoped
public class DispatchJobs {

    private static final Object WAKE_KEY = new Object();

    @Inject
    EntityManager em;

    @Inject
    DispatchService dispatches;

    @Inject
    Workers workers;

    @Inject
    AfterCommit afterCommit;

    @Inject
    Clock clock;

    @ConfigProperty(name = "fivestar.dispatch.job-timeout", defaultValue = "30m")
    Duration timeout;

    @ConfigProperty(name = "fivestar.dispatch.jobs", defaultValue = "true")
    boolean enabled;

    private Worker worker;

    void onStart(@Observes StartupEvent e) {
        worker = workers.create("dispatch-jobs", new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)));
        if (enabled) {
            worker.start(this::runOne, Duration.ofSeconds(5));
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        worker.stop(Duration.ofSeconds(10));
    }

    /** Wakes the worker once the current transaction has committed (a dispatch was recorded pending). */
    void wakeAfterCommit() {
        afterCommit.once(WAKE_KEY, () -> {
            if (worker != null) {
                worker.wake();
            }
        });
    }

    /** Runs the oldest pending dispatch no other instance is running; false when there is none. */
    @SuppressWarnings("unchecked")
    boolean runOne() {
        return QuarkusTransaction.requiringNew().timeout((int) timeout.toSeconds()).call(() -> {
            List<Dispatch> next = em.createNativeQuery("select * from dispatch where status = 'PENDING' order by created_at, id limit 1 "
                    + "for no key update skip locked", Dispatch.class).getResultList();
            if (next.isEmpty()) {
                return false;
            }
            Dispatch d = next.get(0);
            progress(d.id, 0, d.total);
            dispatches.runPending(d, created -> progress(d.id, created, d.total));
            return true;
        });
    }

    private void progress(UUID dispatch, int created, int total) {
        Instant now = Instant.now(clock);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into dispatch_progress (dispatch_id, created, total, updated_at) "
                        + "values (?1, ?2, ?3, ?4) on conflict (dispatch_id) do update set created = excluded.created, total = excluded.total, "
                        + "updated_at = excluded.updated_at")
                .setParameter(1, dispatch).setParameter(2, created).setParameter(3, total).setParameter(4, now).executeUpdate());
    }
}
