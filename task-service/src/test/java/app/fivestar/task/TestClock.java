package app.fivestar.task;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The service's clock in tests: real time unless a test sets it. */
public class TestClock extends Clock {

    public static final TestClock INSTANCE = new TestClock();
    private final AtomicReference<Instant> fixed = new AtomicReference<>();

    public static void set(Instant now) {
        INSTANCE.fixed.set(now);
    }

    public static void reset() {
        INSTANCE.fixed.set(null);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(instant(), zone);
    }

    @Override
    public Instant instant() {
        Instant f = fixed.get();
        return f != null ? f : Instant.now();
    }

    /** Replaces the platform's default clock in the test application. */
    public static class Producer {
        @Produces
        @Singleton
        Clock clock() {
            return INSTANCE;
        }
    }
}
