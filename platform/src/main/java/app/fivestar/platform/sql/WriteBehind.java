package app.fivestar.platform.sql;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows a transaction makes many of, written together once its work is done: the consumer handles a poll's records in
 * one transaction, and the messages of a thousand events cost one insert, not a thousand. A {@link Writer} queues rows
 * with {@link #add}; {@link #flush} hands each writer all its rows at once, in the order the writers were first used.
 * The consumer flushes before it commits, so a failing write fails the work that made it; a transaction that ends
 * without a flush has its rows written just before it commits.
 */
@ApplicationScoped
public class WriteBehind {

    /** Writes a transaction's queued rows of one kind (in the transaction, on its connection). */
    @FunctionalInterface
    public interface Writer<T> {
        void write(List<T> rows);
    }

    @Inject
    TransactionSynchronizationRegistry registry;

    /** Queues {@code row} for {@code writer} (keep the writer in a field: it is the key) until the transaction's flush. */
    public <T> void add(Writer<T> writer, T row) {
        if (registry.getTransactionKey() == null) {
            throw new IllegalStateException("rows written behind need a transaction");
        }
        queue(true).computeIfAbsent(writer, w -> new ArrayList<>()).add(row);
    }

    /** Writes every row queued in the current transaction (nothing without one). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void flush() {
        if (registry.getTransactionKey() == null) {
            return;
        }
        Map<Writer<?>, List<Object>> queue = queue(false);
        while (queue != null && !queue.isEmpty()) { // a writer may queue rows for another
            Iterator<Map.Entry<Writer<?>, List<Object>>> first = queue.entrySet().iterator();
            Map.Entry<Writer<?>, List<Object>> next = first.next();
            first.remove();
            ((Writer) next.getKey()).write(next.getValue());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<Writer<?>, List<Object>> queue(boolean create) {
        Map<Writer<?>, List<Object>> queue = (Map<Writer<?>, List<Object>>) registry.getResource(WriteBehind.class);
        if (queue == null && create) {
            queue = new LinkedHashMap<>();
            registry.putResource(WriteBehind.class, queue);
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    if (registry.getTransactionStatus() == Status.STATUS_ACTIVE) {
                        flush();
                    }
                }

                @Override
                public void afterCompletion(int status) {
                }
            });
        }
        return queue;
    }
}
