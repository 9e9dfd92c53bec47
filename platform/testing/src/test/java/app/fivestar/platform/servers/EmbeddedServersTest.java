package app.fivestar.platform.servers;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedServersTest {

    @Test
    void postgresKeepsItsDataAcrossARestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        int port;
        try (PostgresServer pg = PostgresServer.start(data, 0)) {
            port = pg.port();
            pg.ensureDatabase("kept");
            try (var c = DriverManager.getConnection(pg.jdbcUrl("kept"), "postgres", "");
                 var s = c.createStatement()) {
                s.execute("create table t (v int)");
                s.execute("insert into t values (42)");
            }
        }
        try (PostgresServer pg = PostgresServer.start(data, port);
             var c = DriverManager.getConnection(pg.jdbcUrl("kept"), "postgres", "");
             var rs = c.createStatement().executeQuery("select v from t")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getInt(1));
        }
    }

    @Test
    void postgresRunsTheMajorVersionComposeAndKubernetesRun(@TempDir Path dir) throws Exception {
        try (PostgresServer pg = PostgresServer.start(null, 0);
             var c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "");
             var rs = c.createStatement().executeQuery("show server_version_num")) {
            assertTrue(rs.next());
            assertEquals(16, Integer.parseInt(rs.getString(1)) / 10000);
        }
        assertTrue(java.nio.file.Files.readString(Path.of("../../deploy/compose/docker-compose.yml")).contains("postgres:16"),
                "compose runs PostgreSQL 16 too");
    }

    @Test
    void aDataDirectoryOfAnotherMajorVersionIsRefusedNotReinitialised(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg14");
        java.nio.file.Files.createDirectories(data);
        java.nio.file.Files.writeString(data.resolve("PG_VERSION"), "14\n");
        java.nio.file.Files.writeString(data.resolve("kept"), "precious");
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> PostgresServer.start(data, 0));
        assertTrue(refused.getMessage().contains("made by PostgreSQL 14") && refused.getMessage().contains("pg_dumpall"),
                refused.getMessage());
        assertEquals("precious", java.nio.file.Files.readString(data.resolve("kept")));
    }

    @Test
    void kafkaAcceptsRecordsAgainAfterARestart(@TempDir Path dir) throws Exception {
        try (KafkaServer kafka = KafkaServer.start(dir.resolve("kafka"), 0);
             var producer = new KafkaProducer<String, String>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                     ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                     ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            assertEquals(0, producer.send(new ProducerRecord<>("t", "k", "before")).get(30, TimeUnit.SECONDS).offset());
            kafka.stop();
            kafka.restart();
            assertEquals(1, producer.send(new ProducerRecord<>("t", "k", "after")).get(60, TimeUnit.SECONDS).offset());
        }
    }
}
