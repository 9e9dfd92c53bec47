package app.fivestar.platform.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ForAWhileTest {

    @Test
    void anAnswerHoldsUntilItsOwnDeadline() {
        ForAWhile<String, String> memory = new ForAWhile<>(10);
        long now = System.currentTimeMillis();
        memory.put("a", "yes", now + 60_000);
        memory.put("b", "yes", now - 1);
        assertEquals("yes", memory.get("a"));
        assertNull(memory.get("b"), "its time is up");
        assertNull(memory.get("c"), "never kept");
    }

    @Test
    void aFullMemoryStartsOverAndForgetsRatherThanGrows() {
        ForAWhile<Integer, String> memory = new ForAWhile<>(3);
        long later = System.currentTimeMillis() + 60_000;
        for (int i = 0; i < 3; i++) {
            memory.put(i, "v" + i, later);
        }
        assertEquals("v2", memory.get(2));
        memory.put(3, "v3", later);
        assertEquals("v3", memory.get(3));
        assertNull(memory.get(0), "forgotten: asked again, never answered wrongly");
    }
}
