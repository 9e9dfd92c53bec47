package app.fivestar.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The one clock of task-service; tests replace it to move time. */
@ApplicationScoped
public class TimeConfiguration {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
