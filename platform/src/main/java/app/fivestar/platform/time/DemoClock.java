package app.fivestar.platform.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local stack's movable clock: real time shifted by an offset the demo history's loader sets (the history happens
 * "as it would have", weeks ago, through the services' own code). Time keeps running from wherever it was set; a
 * loader started again after a crash moves it back to where its history begins. Only where
 * {@code fivestar.demo-clock.enabled} (the local profile): elsewhere the services use the system clock.
 */
public final class DemoClock extends Clock {

    private final AtomicLong offsetMillis = new AtomicLong();
    private final Clock real;

    public DemoClock(Clock real) {
        this.real = real;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(real, Duration.ofMillis(offsetMillis.get())).withZone(zone);
    }

    @Override
    public Instant instant() {
        return real.instant().plusMillis(offsetMillis.get());
    }

    /** Shows {@code at} now, and runs on from it. */
    public synchronized void moveTo(Instant at) {
        offsetMillis.set(Duration.between(real.instant(), at).toMillis());
    }

    /** Back to real time. */
    public synchronized void reset() {
        offsetMillis.set(0);
    }

    public long offsetMillis() {
        return offsetMillis.get();
    }
}
