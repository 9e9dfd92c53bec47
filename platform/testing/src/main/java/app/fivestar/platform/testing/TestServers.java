package app.fivestar.platform.testing;


import app.fivestar.platform.servers.KafkaServer;
import app.fivestar.platform.servers.MailServer;
import app.fivestar.platform.servers.PostgresServer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The real PostgreSQL and Kafka a test JVM talks to, chosen once per JVM in this order:
 * <ol>
 *   <li>servers named by environment variables: {@code FIVESTAR_TEST_PG_URL} (a JDBC URL of a database the
 *   user may create databases from, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}),
 *   {@code FIVESTAR_TEST_PG_USER}, {@code FIVESTAR_TEST_PG_PASSWORD}, and {@code FIVESTAR_TEST_KAFKA_BOOTSTRAP};</li>
 *   <li>Testcontainers, when a Docker engine answers (skip the probe with {@code FIVESTAR_TEST_CONTAINERS=false});</li>
 *   <li>the embedded servers: PostgreSQL from io.zonky binaries and Apache Kafka's KRaft server.</li>
 * </ol>
 * Each {@link #freshDatabase} is a new, empty database.
 */
public final class TestServers {

    private static final Logger LOG = Logger.getLogger(TestServers.class);
    private static TestServers instance;

    private final String adminJdbcUrl;
    private final String user;
    private final String password;
    private final String kafkaBootstrap;
    private final Path keyDir;
    private final String origin;
    private KafkaServer embeddedKafka;
    private MailServer mail;

    private TestServers(String adminJdbcUrl, String user, String password, String kafkaBootstrap, String origin) {
        this.adminJdbcUrl = adminJdbcUrl;
        this.user = user;
        this.password = password;
        this.kafkaBootstrap = kafkaBootstrap;
        this.origin = origin;
        try {
            this.keyDir = Files.createTempDirectory("fivestar-test-keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeyFiles.ensure(keyDir);
    }

    public static synchronized TestServers get() {
        if (instance == null) {
            instance = choose();
            LOG.infof("test servers: %s (PostgreSQL %s, Kafka %s)", instance.origin, instance.adminJdbcUrl, instance.kafkaBootstrap);
        }
        return instance;
    }

    private static TestServers choose() {
        String pgUrl = System.getenv("FIVESTAR_TEST_PG_URL");
        String kafka = System.getenv("FIVESTAR_TEST_KAFKA_BOOTSTRAP");
        if (pgUrl != null && kafka != null) {
            return new TestServers(pgUrl, env("FIVESTAR_TEST_PG_USER", "postgres"), env("FIVESTAR_TEST_PG_PASSWORD", "postgres"),
                    kafka, "environment");
        }
        if (!"false".equalsIgnoreCase(System.getenv("FIVESTAR_TEST_CONTAINERS")) && ContainerServers.dockerAvailable()) {
            return ContainerServers.start();
        }
        PostgresServer postgres = PostgresServer.start(null, 0);
        KafkaServer kafkaServer = KafkaServer.start(null, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafkaServer.close();
            postgres.close();
        }, "test-servers-stop"));
        TestServers servers = new TestServers(postgres.jdbcUrl("postgres"), PostgresServer.USER, "postgres",
                kafkaServer.bootstrapServers(), "embedded");
        servers.embeddedKafka = kafkaServer;
        return servers;
    }

    static TestServers of(String adminJdbcUrl, String user, String password, String kafkaBootstrap, String origin) {
        return new TestServers(adminJdbcUrl, user, password, kafkaBootstrap, origin);
    }

    /** Creates an empty database named after {@code prefix} and answers its JDBC URL. */
    public String freshDatabase(String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = DriverManager.getConnection(adminJdbcUrl, user, password); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return adminJdbcUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    }

    /** A superuser connection to the server (not to a test database), for tests that play the operator. */
    public Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(adminJdbcUrl, user, password);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public Path keyDir() {
        return keyDir;
    }

    /** The SMTP server the services of this test JVM send mail to (always a real one on loopback). */
    public synchronized MailServer mail() {
        if (mail == null) {
            mail = MailServer.start(0);
        }
        return mail;
    }

    /** The embedded broker, for tests that stop and restart it; empty when the broker is external. */
    public java.util.Optional<KafkaServer> embeddedKafka() {
        return java.util.Optional.ofNullable(embeddedKafka);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }
}
