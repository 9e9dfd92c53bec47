package app.fivestar.platform.worker;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One background loop (the outbox relay, an event consumer, the delivery worker, the overdue watch): a thread that
 * runs a step again and again, rests when the step says there is nothing to do (until {@link #wake()} or its idle
 * time), and backs off after a failure ({@link Backoff}) — never giving up. It keeps two signals for health: a
 * <b>heartbeat</b> that goes on beating while the worker rests or backs off (liveness: only a stuck thread stops it,
 * so an outage does not make Kubernetes restart pods), and <b>progress</b>: whether its last step succeeded, and since
 * when it has been failing (readiness: DOWN while it cannot make progress, UP again by itself). Stopping is bounded.
 *
 * <p>A worker whose loop is its own (the consumer polls Kafka) uses the same signals through {@link #beat()},
 * {@link #progressed()} and {@link #failed(Throwable)}, and {@link #pause(Duration)} for its waits.
 */
public final class Worker {

    /** One unit of work. */
    @FunctionalInterface
    public interface Step {
        /** Does some work; answers true when there may be more right away, false to rest. */
        boolean run() throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(Worker.class);
    private static final Duration BEAT = Duration.ofSeconds(1);

    private final String name;
    private final Backoff backoff;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Instant heartbeat = Instant.now();
    private volatile Instant lastProgress = Instant.now();
    private volatile Instant failingSince;
    private volatile int failures;
    private volatile String lastError;

    public Worker(String name, Backoff backoff) {
        this.name = name;
        this.backoff = backoff;
    }

    public String name() {
        return name;
    }

    /** Starts a thread running {@code step}, resting {@code idle} (or until woken) whenever it answers false. */
    public synchronized void start(Step step, Duration idle) {
        start(() -> {
            while (running) {
                beat();
                boolean more;
                try {
                    more = step.run();
                    progressed();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    pause(backoff.after(failed(e)));
                    continue;
                }
                if (!more) {
                    pause(idle);
                }
            }
        });
    }

    /** Starts a thread running a loop of its own, which must end when {@link #running()} turns false. */
    public synchronized void start(Runnable loop) {
        if (thread != null) {
            return;
        }
        running = true;
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } finally {
                running = false;
            }
        }, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    public boolean running() {
        return running;
    }

    /** Asks the loop to end (it ends at its next check); {@link #stop(Duration)} also waits for it. */
    public void requestStop() {
        running = false;
        wake();
    }

    public Backoff backoff() {
        return backoff;
    }

    /** Stops the loop and waits for it at most {@code wait}; the thread is interrupted if it has not ended by then. */
    public void stop(Duration wait) {
        requestStop();
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            t.join(wait.toMillis());
            if (t.isAlive()) {
                t.interrupt();
                t.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends a rest early: there is work. */
    public void wake() {
        wakeups.release();
    }

    /** Waits {@code duration} or until woken, beating all the while. */
    public void pause(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        try {
            while (running) {
                beat();
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                if (wakeups.tryAcquire(Math.min(left, BEAT.toNanos()), TimeUnit.NANOSECONDS)) {
                    wakeups.drainPermits();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    public void beat() {
        heartbeat = Instant.now();
    }

    /** A step went through: the worker makes progress. */
    public void progressed() {
        Instant now = Instant.now();
        heartbeat = now;
        lastProgress = now;
        if (failures > 0) {
            LOG.infof("%s makes progress again after %d failure(s)", name, failures);
        }
        failures = 0;
        failingSince = null;
        lastError = null;
    }

    /** A step failed; answers how many failed in a row. */
    public int failed(Throwable e) {
        heartbeat = Instant.now();
        int n = ++failures;
        if (failingSince == null) {
            failingSince = Instant.now();
        }
        lastError = e.toString();
        Duration next = backoff.after(n);
        LOG.warnf("%s failed (%d in a row, next try in %d ms): %s", name, n, next.toMillis(), e.toString());
        return n;
    }

    /** Alive: the thread runs and has beaten within {@code within}. */
    public boolean alive(Duration within) {
        Thread t = thread;
        return t != null && t.isAlive() && Duration.between(heartbeat, Instant.now()).compareTo(within) <= 0;
    }

    /** Making progress: not failing, or failing for less than {@code grace}. */
    public boolean progressing(Duration grace) {
        Instant since = failingSince;
        return since == null || Duration.between(since, Instant.now()).compareTo(grace) < 0;
    }

    public int failures() {
        return failures;
    }

    public String lastError() {
        return lastError;
    }

    public double secondsSinceProgress() {
        return Duration.between(lastProgress, Instant.now()).toMillis() / 1000.0;
    }

    public boolean started() {
        return thread != null;
    }
}
