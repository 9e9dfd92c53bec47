package app.fivestar.platform.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;

/**
 * The one clock of a service (UTC); tests and jobs that need to move time replace it with their own bean. In the
 * local profile ({@code fivestar.demo-clock.enabled}) it is a {@link DemoClock} the demo history's loader moves.
 */
@ApplicationScoped
public class Clocks {

    @ConfigProperty(name = "fivestar.demo-clock.enabled", defaultValue = "false")
    boolean demo;

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return demo ? new DemoClock(Clock.systemUTC()) : Clock.systemUTC();
    }
}
