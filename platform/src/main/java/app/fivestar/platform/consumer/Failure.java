package app.fivestar.platform.consumer;

import app.fivestar.platform.events.EventCodec;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Why processing a record failed, which decides what the consumer does with it:
 * <ul>
 *   <li>{@link #POISON}: the record can never be processed (undecodable, breaks its contract, rejected by a handler,
 *   or a data error of SQLState class 22 or 23 from the handler's own writes): dead-lettered at once;</li>
 *   <li>{@link #INFRASTRUCTURE}: the database or the broker is away or busy (connection failures whatever their
 *   SQLState, serialization failures, deadlocks, Kafka's retriable errors and time-outs): the partition waits and
 *   the record is retried until it goes through, never dead-lettered;</li>
 *   <li>{@link #UNKNOWN}: anything else (a bug): a few attempts, then dead-lettered unless the database turns out to be
 *   away.</li>
 * </ul>
 */
public enum Failure {
    POISON, INFRASTRUCTURE, UNKNOWN;

    /** SQLState classes of a connection or server that is away, shutting down or out of resources. */
    private static final Set<String> INFRASTRUCTURE_CLASSES = Set.of("08", "40", "53", "55", "57", "58");
    private static final Set<String> DATA_CLASSES = Set.of("22", "23");

    /** Looks through the whole cause chain: the first cause that decides, decides. */
    public static Failure of(Throwable error) {
        Failure found = UNKNOWN;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Failure f = one(t);
            if (f == INFRASTRUCTURE) {
                return INFRASTRUCTURE; // an outage can surface as anything further up; the outage decides
            }
            if (f == POISON) {
                found = POISON;
            }
        }
        return found;
    }

    private static Failure one(Throwable t) {
        if (t instanceof EventCodec.MalformedEventException || t instanceof RejectedEventException || t instanceof ContractBreach) {
            return POISON;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state == null || state.length() < 2) {
                // the pool's own failures (acquisition time-out, closed connection) carry no SQLState
                return sql instanceof SQLTransientException || mentionsConnection(sql) ? INFRASTRUCTURE : UNKNOWN;
            }
            String cls = state.substring(0, 2);
            if (INFRASTRUCTURE_CLASSES.contains(cls)) {
                return INFRASTRUCTURE;
            }
            if (DATA_CLASSES.contains(cls)) {
                return POISON;
            }
            return UNKNOWN;
        }
        String name = t.getClass().getName();
        if (t instanceof org.apache.kafka.common.errors.RetriableException || t instanceof org.apache.kafka.common.errors.TimeoutException
                || t instanceof ConnectException || t instanceof java.net.SocketException || t instanceof java.net.SocketTimeoutException
                || name.equals("org.hibernate.exception.JDBCConnectionException")
                || name.equals("org.hibernate.exception.LockAcquisitionException")
                || name.equals("org.hibernate.exception.LockTimeoutException")
                || name.equals("jakarta.persistence.LockTimeoutException")
                || name.equals("jakarta.persistence.PessimisticLockException")
                || name.equals("jakarta.transaction.RollbackException") && mentionsTimeout(t)) {
            return INFRASTRUCTURE;
        }
        return UNKNOWN;
    }

    private static boolean mentionsConnection(Throwable t) {
        String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("connection") || m.contains("acquisition") || m.contains("connect");
    }

    private static boolean mentionsTimeout(Throwable t) {
        return String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout");
    }

    /** An event that breaks its published contract (JSON Schema). */
    public static class ContractBreach extends RuntimeException {
        public ContractBreach(String message) {
            super(message);
        }
    }
}
