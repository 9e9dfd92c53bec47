package app.fivestar.platform.schema;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Two migration histories per database, so that neither runs out of order when the other grows: the platform's
 * tables (outbox, inbox, idempotency; {@code db/platform}, history {@value #PLATFORM_HISTORY}) and the service's own
 * ({@code db/migration}, Flyway's default history, configured by {@code quarkus.flyway.*}). Both run before anything
 * else starts, the platform's first.
 *
 * <p>A database from before the split has the platform's migrations (versions 0.x) in the service's history: they
 * are adopted once — the platform history starts as a baseline at the newest of them and the rows leave the
 * service's history — in the same transaction as the platform history's creation would have been, so a restart
 * half way is harmless.
 */
@ApplicationScoped
public class Migrations {

    public static final String PLATFORM_HISTORY = "platform_schema_history";
    static final String SERVICE_HISTORY = "flyway_schema_history";
    private static final Logger LOG = Logger.getLogger(Migrations.class);

    @Inject
    DataSource dataSource;

    @Inject
    Flyway service;

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        migrate();
    }

    public void migrate() {
        migrate(dataSource, service);
    }

    /** Migrates the platform's tables, then the service's ({@code service} is its configured Flyway). */
    public static void migrate(DataSource dataSource, Flyway service) {
        String adopted = adoptPlatformRows(dataSource);
        var platform = Flyway.configure(service.getConfiguration().getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/platform")
                .table(PLATFORM_HISTORY);
        if (adopted != null) {
            platform.baselineOnMigrate(true).baselineVersion(adopted).baselineDescription("adopted from " + SERVICE_HISTORY);
        }
        platform.load().migrate();
        if (adopted != null) {
            dropAdoptedRows(dataSource);
            LOG.infof("platform migrations up to %s moved from %s to %s", adopted, SERVICE_HISTORY, PLATFORM_HISTORY);
        }
        service.migrate();
    }

    /** The newest platform version the service's history holds, when the platform history does not exist yet. */
    private static String adoptPlatformRows(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (exists(s, PLATFORM_HISTORY) || !exists(s, SERVICE_HISTORY)) {
                return null;
            }
            try (ResultSet rs = s.executeQuery("select version from " + SERVICE_HISTORY
                    + " where version like '0.%' and success order by installed_rank desc limit 1")) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the migration history", e);
        }
    }

    private static void dropAdoptedRows(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("delete from " + SERVICE_HISTORY + " where version like '0.%'");
        } catch (SQLException e) {
            throw new IllegalStateException("could not move the platform migrations out of " + SERVICE_HISTORY, e);
        }
    }

    private static boolean exists(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("select to_regclass('" + table + "') is not null")) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
