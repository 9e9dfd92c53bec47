package app.fivestar.platform.testing;

import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;

import java.util.function.IntSupplier;

/**
 * How many SQL statements a call costs, from Hibernate's statistics (on in the test profile). Background workers poll
 * the same database now and then, so the call is measured several times and the least count taken.
 */
public final class StatementCount {

    private StatementCount() {
    }

    public static long of(EntityManagerFactory emf, Runnable call) {
        var stats = emf.unwrap(SessionFactory.class).getStatistics();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            long before = stats.getPrepareStatementCount();
            call.run();
            least = Math.min(least, stats.getPrepareStatementCount() - before);
        }
        return least;
    }
}
