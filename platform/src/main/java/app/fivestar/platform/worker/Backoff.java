package app.fivestar.platform.worker;

import java.time.Duration;

/** The one backoff of the background work: {@code base} doubled per failure in a row, capped at {@code max}. */
public record Backoff(Duration base, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));

    /** The wait after the {@code failures}-th failure in a row (1, 2, …). */
    public Duration after(int failures) {
        long millis = base.toMillis() << Math.min(Math.max(failures - 1, 0), 16);
        return Duration.ofMillis(Math.min(max.toMillis(), millis < 0 ? Long.MAX_VALUE : millis));
    }
}
