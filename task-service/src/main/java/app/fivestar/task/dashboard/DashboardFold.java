package app.fivestar.task.dashboard;

import app.fivestar.platform.worker.Backoff;
import app.fivestar.platform.worker.Worker;
import app.fivestar.platform.worker.Workers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Moves the task changes the triggers appended (dashboard_change, migration V10) into the counters (dashboard_tally):
 * a background worker every {@code fivestar.dashboard.fold-every} (500 ms), so that an answer counts every change committed
 * up to a fold interval and a fold ago, while task writes never update a counter row themselves (no hot rows, no lock
 * between writers) and readers never fold (no lock between readers, none between readers and the fold). One fold at a
 * time across replicas (a transaction-scoped advisory lock in dashboard_fold()); each one that moves changes pushes the
 * dashboards' live streams on commit.
 */
@ApplicationScoped
public class DashboardFold {

    @Inject
    EntityManager em;

    @Inject
    Workers workers;

    @ConfigProperty(name = "fivestar.dashboard.fold-every", defaultValue = "500ms")
    Duration every;

    private Worker worker;

    /** The channel a fold that changed the counters signals on commit (the dashboards' live streams listen). */
    public static final String CHANNEL = "dashboard";

    @Inject
    app.fivestar.platform.signals.CommitSignals signals;

    /** Folds what has been appended so far; answers how many change rows it moved. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int fold() {
        int moved = ((Number) em.createNativeQuery("select dashboard_fold()").getSingleResult()).intValue();
        if (moved > 0) {
            signals.signal(CHANNEL, "");
        }
        return moved;
    }

    void onStart(@Observes StartupEvent e) {
        worker = workers.create("dashboard-fold", new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30)));
        worker.start(() -> {
            fold();
            return false;
        }, every);
    }

    void onStop(@Observes ShutdownEvent e) {
        worker.stop(Duration.ofSeconds(10));
    }
}
