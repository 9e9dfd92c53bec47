package app.fivestar.task.directory;

import app.fivestar.platform.security.KnownPeople;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** The directory's active people are the ones who may use task-service. */
@ApplicationScoped
public class DirectoryPeople implements KnownPeople {

    @Override
    public boolean knows(UUID personId) {
        return QuarkusTransaction.requiringNew().call(() -> Person.count("id = ?1 and active = true", personId) > 0);
    }
}
