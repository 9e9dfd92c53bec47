package app.fivestar.platform.consumer;

import app.fivestar.platform.events.EventCodec;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each kind of failure, as the consumer meets it (wrapped by Hibernate, the transaction manager, …). */
class FailureTest {

    static RuntimeException wrapped(Throwable cause) {
        // what QuarkusTransaction and Hibernate put around a JDBC failure
        return new RuntimeException("jakarta.persistence.PersistenceException", new IllegalStateException("could not execute statement", cause));
    }

    static SQLException state(String sqlState) {
        return new SQLException("server said no", sqlState);
    }

    @Test
    void whatCanNeverBeProcessedIsPoison() throws Exception {
        assertEquals(Failure.POISON, Failure.of(new EventCodec.MalformedEventException("not json")));
        assertEquals(Failure.POISON, Failure.of(new Failure.ContractBreach("missing taskId")));
        assertEquals(Failure.POISON, Failure.of(wrapped(new RejectedEventException("no such meeting"))));
        assertEquals(Failure.POISON, Failure.of(wrapped(state("22001"))), "value too long");
        assertEquals(Failure.POISON, Failure.of(wrapped(state("22P02"))), "invalid text representation");
        assertEquals(Failure.POISON, Failure.of(wrapped(state("23505"))), "unique violation");
        assertEquals(Failure.POISON, Failure.of(wrapped(state("23503"))), "foreign key violation");
    }

    @Test
    void anOutageIsInfrastructureWhateverItsSqlState() {
        for (String s : new String[] {"08001", "08006", "08003", "57P01", "57P03", "55000", "53300", "40001", "40P01", "58030"}) {
            assertEquals(Failure.INFRASTRUCTURE, Failure.of(wrapped(state(s))), s);
        }
        assertEquals(Failure.INFRASTRUCTURE, Failure.of(wrapped(new SQLException("Acquisition timeout while waiting for new connection"))),
                "the pool's own time-out has no SQLState");
        assertEquals(Failure.INFRASTRUCTURE, Failure.of(wrapped(new SQLTransientConnectionException("gone"))));
        assertEquals(Failure.INFRASTRUCTURE, Failure.of(new org.apache.kafka.common.errors.TimeoutException("broker away")));
        assertEquals(Failure.INFRASTRUCTURE, Failure.of(new org.apache.kafka.common.errors.NotLeaderOrFollowerException("moving")));
        assertEquals(Failure.INFRASTRUCTURE, Failure.of(wrapped(new ConnectException("Connection refused"))));
        assertEquals(Failure.INFRASTRUCTURE, Failure.of(wrapped(new RejectedEventException("x") {
            { initCause(state("57P01")); }
        })), "an outage anywhere in the chain decides");
    }

    @Test
    void anythingElseIsUnknown() {
        assertEquals(Failure.UNKNOWN, Failure.of(new NullPointerException()));
        assertEquals(Failure.UNKNOWN, Failure.of(wrapped(state("42P01"))), "undefined table: a bug, not the record");
        assertEquals(Failure.UNKNOWN, Failure.of(new IllegalStateException("boom")));
    }
}
