package app.fivestar.platform.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every background worker of the service, for health and metrics: liveness is every started worker's heartbeat
 * (within {@code fivestar.workers.heartbeat-timeout}), readiness is their progress (DOWN while one has failed for
 * longer than {@code fivestar.workers.progress-grace}, e.g. its database or broker is away; UP again when it goes
 * through). Metrics per worker: {@code fivestar_worker_failures} (in a row) and
 * {@code fivestar_worker_seconds_since_progress}.
 */
@ApplicationScoped
public class Workers {

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "fivestar.workers.heartbeat-timeout", defaultValue = "30s")
    Duration heartbeatTimeout;

    @ConfigProperty(name = "fivestar.workers.progress-grace", defaultValue = "15s")
    Duration progressGrace;

    private final List<Worker> all = new CopyOnWriteArrayList<>();

    /** A new worker, registered for health and metrics. */
    public Worker create(String name) {
        return create(name, Backoff.DEFAULT);
    }

    public Worker create(String name, Backoff backoff) {
        Worker w = new Worker(name, backoff);
        all.add(w);
        Gauge.builder("fivestar.worker.failures", w, Worker::failures).tag("worker", name).register(metrics);
        Gauge.builder("fivestar.worker.seconds.since.progress", w, Worker::secondsSinceProgress).tag("worker", name).register(metrics);
        return w;
    }

    public List<Worker> all() {
        return List.copyOf(all);
    }

    HealthCheckResponse report(String check, boolean liveness) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(check).up();
        for (Worker w : all) {
            if (!w.started()) {
                continue;
            }
            boolean ok = liveness ? w.alive(heartbeatTimeout) : w.progressing(progressGrace);
            b.withData(w.name(), ok ? "UP" : liveness ? "no heartbeat" : "failing: " + w.lastError());
            if (!ok) {
                b.down();
            }
        }
        return b.build();
    }

    @Liveness
    @ApplicationScoped
    public static class Heartbeats implements HealthCheck {
        @Inject
        Workers workers;

        @Override
        public HealthCheckResponse call() {
            return workers.report("background workers beat", true);
        }
    }

    @Readiness
    @ApplicationScoped
    public static class Progress implements HealthCheck {
        @Inject
        Workers workers;

        @Override
        public HealthCheckResponse call() {
            return workers.report("background workers make progress", false);
        }
    }
}
