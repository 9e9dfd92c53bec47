package app.fivestar.platform.security;

import java.util.UUID;

/**
 * Implemented by a service that keeps people (task-service's directory, notification-service's projection of it):
 * whether a verified token's person is one of them. A person it does not know (never imported, or made inactive)
 * keeps their valid token but gets no role here: every operation answers 403 problem details naming why.
 * Called off the event loop; may read the database.
 */
public interface KnownPeople {

    boolean knows(UUID personId);
}
