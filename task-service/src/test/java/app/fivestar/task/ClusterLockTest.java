package app.fivestar.task;

import app.fivestar.platform.locks.ClusterLock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The advisory locks have one registry: ids are distinct, and every lock a migration takes is one of them. */
class ClusterLockTest {

    private static final Pattern SQL_LOCK = Pattern.compile("advisory_(?:xact_)?lock(?:_shared)?\\s*\\(\\s*(\\d+)\\s*\\)");

    @Test
    void lockIdsAreDistinct() {
        Set<Long> ids = Arrays.stream(ClusterLock.values()).map(l -> l.id).collect(Collectors.toSet());
        assertEquals(ClusterLock.values().length, ids.size());
    }

    @Test
    void everyLockAMigrationTakesIsRegistered() throws IOException {
        Set<Long> registered = Arrays.stream(ClusterLock.values()).map(l -> l.id).collect(Collectors.toSet());
        Set<Long> used = new HashSet<>();
        List<Path> migrations;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            migrations = files.filter(f -> f.toString().endsWith(".sql")).toList();
        }
        assertFalse(migrations.isEmpty());
        for (Path f : migrations) {
            Matcher m = SQL_LOCK.matcher(Files.readString(f));
            while (m.find()) {
                long id = Long.parseLong(m.group(1));
                assertTrue(registered.contains(id), f.getFileName() + " takes advisory lock " + id + ", which ClusterLock does not register");
                used.add(id);
            }
        }
        assertTrue(used.contains(ClusterLock.DASHBOARD_DAY.id) && used.contains(ClusterLock.DASHBOARD_FOLD.id), "the dashboard counters take their locks");
    }
}
