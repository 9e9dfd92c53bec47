package app.fivestar.task;

import app.fivestar.platform.testing.ForeignKeyIndexes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every foreign key of task-service's schema leads some index (real PostgreSQL, no Quarkus). */
class ForeignKeyIndexTest {

    @Test
    void everyForeignKeyIsIndexed() throws Exception {
        assertEquals(List.of(), ForeignKeyIndexes.missing());
    }
}
