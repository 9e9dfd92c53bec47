package app.fivestar.platform.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The background worker without Quarkus: backoff, a heartbeat that beats through an outage, progress that comes back by itself. */
class WorkerTest {

    @Test
    void theBackoffDoublesFromItsBaseUpToItsCap() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));
        assertEquals(Duration.ofMillis(250), b.after(1));
        assertEquals(Duration.ofMillis(500), b.after(2));
        assertEquals(Duration.ofMillis(4000), b.after(5));
        assertEquals(Duration.ofSeconds(10), b.after(7));
        assertEquals(Duration.ofSeconds(10), b.after(1000));
    }

    @Test
    void anOutageStopsProgressButNotTheHeartbeatAndProgressComesBackByItself() {
        AtomicBoolean outage = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        Worker w = new Worker("test-worker", new Backoff(Duration.ofMillis(100), Duration.ofSeconds(3)));
        w.start(() -> {
            attempts.incrementAndGet();
            if (outage.get()) {
                throw new IllegalStateException("the database is away");
            }
            return false;
        }, Duration.ofMillis(50));
        try {
            // failing for longer than the grace: not progressing; yet alive throughout, while it backs off for seconds
            await().atMost(Duration.ofSeconds(10)).until(() -> !w.progressing(Duration.ofMillis(500)) && w.failures() >= 3);
            for (int i = 0; i < 3; i++) {
                await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
                assertTrue(w.alive(Duration.ofMillis(1500)), "beats while backing off");
            }
            int tried = attempts.get();
            assertTrue(tried < 12, "backed off, not spinning: " + tried + " attempts");
            assertTrue(w.lastError().contains("database is away"));
            outage.set(false);
            w.wake();
            await().atMost(Duration.ofSeconds(5)).until(() -> w.progressing(Duration.ofMillis(500)) && w.failures() == 0);
        } finally {
            w.stop(Duration.ofSeconds(2));
        }
        assertFalse(w.alive(Duration.ofSeconds(30)), "stopped");
    }

    @Test
    void stoppingIsBoundedEvenWhenAStepDoesNotReturn() {
        Worker w = new Worker("stuck-worker", Backoff.DEFAULT);
        w.start(() -> {
            new java.util.concurrent.CountDownLatch(1).await();
            return false;
        }, Duration.ofMillis(10));
        long t0 = System.nanoTime();
        w.stop(Duration.ofMillis(500));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 2.5, "stopped in " + seconds + " s");
        assertFalse(w.alive(Duration.ofSeconds(30)));
    }
}
