package app.fivestar.platform.security;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded memory of answers that hold for a while: each is kept until its own deadline (real time), and a full
 * memory starts over, so what it forgets is asked again, never answered wrongly. What the token check and the person
 * check use to answer a request without repeating work done a moment ago.
 */
final class ForAWhile<K, V> {

    private record Kept<V>(V value, long untilMillis) {
    }

    private final ConcurrentHashMap<K, Kept<V>> kept = new ConcurrentHashMap<>();
    private final int capacity;

    ForAWhile(int capacity) {
        this.capacity = capacity;
    }

    /** The value kept for the key, or null when there is none or its time is up. */
    V get(K key) {
        Kept<V> k = kept.get(key);
        return k == null || k.untilMillis() <= System.currentTimeMillis() ? null : k.value();
    }

    void put(K key, V value, long untilMillis) {
        if (kept.size() >= capacity) {
            kept.clear();
        }
        kept.put(key, new Kept<>(value, untilMillis));
    }
}
