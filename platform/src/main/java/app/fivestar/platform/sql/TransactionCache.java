package app.fivestar.platform.sql;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Read-only lookups remembered for the rest of the current transaction: when a consumer handles a poll's records in
 * one transaction, the hundredth event for the same group or person does not ask the database again what the first
 * one asked. Only for what the transaction itself does not change (another transaction's change is seen by the next
 * one) — or, when it does change it, after it has said so with {@link #forgetAll}; without a transaction every call loads.
 */
@ApplicationScoped
public class TransactionCache {

    @Inject
    TransactionSynchronizationRegistry registry;

    /** The value of {@code key} in {@code region}, loaded once per transaction (null is remembered too). */
    @SuppressWarnings("unchecked")
    public <K, V> V get(String region, K key, Function<K, V> load) {
        if (registry.getTransactionKey() == null) {
            return load.apply(key);
        }
        Map<String, Map<Object, Object>> regions = (Map<String, Map<Object, Object>>) registry.getResource(TransactionCache.class);
        if (regions == null) {
            regions = new HashMap<>();
            registry.putResource(TransactionCache.class, regions);
        }
        Map<Object, Object> values = regions.computeIfAbsent(region, r -> new HashMap<>());
        if (values.containsKey(key)) {
            return (V) values.get(key);
        }
        V value = load.apply(key);
        values.put(key, value);
        return value;
    }

    /** Forgets what the current transaction has looked up so far: it has just changed what those lookups read. */
    public void forgetAll() {
        if (registry.getTransactionKey() != null && registry.getResource(TransactionCache.class) != null) {
            registry.putResource(TransactionCache.class, new HashMap<String, Map<Object, Object>>());
        }
    }
}
