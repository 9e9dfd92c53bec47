package app.fivestar.notification.directory;

import app.fivestar.platform.security.KnownPeople;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** The people of task-service's directory as this service has them (directory-events): only they have an inbox here. */
@ApplicationScoped
public class ProjectedPeople implements KnownPeople {

    @Override
    public boolean knows(UUID personId) {
        return QuarkusTransaction.requiringNew().call(() -> KnownPerson.count("id = ?1 and active = true", personId) > 0);
    }
}
