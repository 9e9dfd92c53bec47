package app.fivestar.task;

import app.fivestar.platform.schema.Migrations;
import app.fivestar.platform.testing.TestServers;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform's migrations keep their own history, so neither history runs out of order; a database migrated the
 * old way (one history, out of order) is adopted without losing a row. Real PostgreSQL, no Quarkus.
 */
class MigrationsTest {

    @Test
    void aNewDatabaseGetsTwoHistoriesInOrder() throws SQLException {
        PGSimpleDataSource db = freshDatabase();
        Migrations.migrate(db, serviceFlyway(db));
        assertEquals(List.of("0.1", "0.2", "0.3", "0.4", "0.5"), versions(db, Migrations.PLATFORM_HISTORY));
        List<String> service = versions(db, "flyway_schema_history");
        assertEquals("0", service.get(0), "the service's history starts as a baseline: the platform's tables are there already");
        assertEquals(List.of("1", "2", "3", "4", "5", "6"), service.subList(1, service.size()).stream().limit(6).toList());
        Migrations.migrate(db, serviceFlyway(db));
        assertEquals(List.of("0.1", "0.2", "0.3", "0.4", "0.5"), versions(db, Migrations.PLATFORM_HISTORY), "a restart changes nothing");
    }

    @Test
    void aDatabaseOfTheOldSchemeIsAdoptedKeepingItsRows() throws SQLException {
        PGSimpleDataSource db = freshDatabase();
        // as a database was before the split: platform 0.1-0.3 and the service's own in one history
        Flyway.configure().dataSource(db).locations("classpath:db/platform").target("0.3").load().migrate();
        Flyway.configure().dataSource(db).locations("classpath:db/migration").ignoreMigrationPatterns("*:missing").load().migrate();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table kept (v int)");
            s.execute("insert into kept values (7)");
        }
        Migrations.migrate(db, serviceFlyway(db));
        assertEquals(List.of("0.3", "0.4", "0.5"), versions(db, Migrations.PLATFORM_HISTORY),
                "a baseline at the newest platform migration applied, then the platform's later ones, in order");
        assertTrue(versions(db, "flyway_schema_history").stream().noneMatch(v -> v.startsWith("0.")), "platform rows left the service's history");
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select v from kept")) {
            assertTrue(rs.next());
            assertEquals(7, rs.getInt(1));
        }
        Migrations.migrate(db, serviceFlyway(db)); // and it validates on the next start
    }

    static Flyway serviceFlyway(PGSimpleDataSource db) {
        return Flyway.configure().dataSource(db).locations("classpath:db/migration").baselineOnMigrate(true).baselineVersion("0").load();
    }

    static PGSimpleDataSource freshDatabase() {
        TestServers servers = TestServers.get();
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(servers.freshDatabase("migrations"));
        db.setUser(servers.user());
        db.setPassword(servers.password());
        return db;
    }

    static List<String> versions(PGSimpleDataSource db, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select version from " + table + " where version is not null order by installed_rank")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
