package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In the prod profile a forgotten setting never falls back to a local or demo value: the packaged service stops at
 * start naming the missing environment variable (Quarkus's own configuration check, or RequiredSettings for what is
 * read later), before it connects to anything. One start per service and variable, each a second or two.
 */
class ProductionSettingsTest {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final List<String> PLATFORM = List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
            "KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_OIDC_AUTH_SERVER_URL", "QUARKUS_OIDC_TOKEN_ISSUER", "QUARKUS_OIDC_TOKEN_AUDIENCE");
    static final Map<String, List<String>> OWN = Map.of(
            "task-service", List.of("FIVESTAR_OVERDUE_DISTRICT_SECRETARY"),
            "review-service", List.of(),
            "notification-service", List.of("QUARKUS_MAILER_HOST", "QUARKUS_MAILER_FROM", "QUARKUS_MAILER_USERNAME",
                    "QUARKUS_MAILER_PASSWORD", "FIVESTAR_LINKS_BASE_URL"));

    @Test
    void aServiceStartedInProdWithoutOneOfItsSettingsStopsNamingIt(@TempDir Path logs) throws Exception {
        for (var service : OWN.entrySet()) {
            List<String> required = union(PLATFORM, service.getValue());
            for (String missing : required) {
                Map<String, String> env = new HashMap<>();
                required.stream().filter(v -> !v.equals(missing)).forEach(v -> env.put(v, dummy(v)));
                String log = startAndWaitForTheEnd(service.getKey(), env, logs.resolve(missing));
                // an extension that checks its own settings first (the datasource, OIDC) names the property the
                // variable maps to (upper case, '.' as '_'); ours and the expansions name the variable itself
                boolean named = log.contains(missing) || namesPropertyOf(log, missing);
                assertTrue(named, service.getKey() + " without " + missing + " did not name it:\n" + tail(log));
            }
        }
    }

    /** Whether the log names a property (quoted, or after "for: ") whose environment variable is {@code variable}:
     *  "property 'x'", "'x' property must be configured" (quarkus-oidc), "for: x". */
    static boolean namesPropertyOf(String log, String variable) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:for: |property '|')([a-z][a-z0-9.\\-]*)(?=['\\s,]|$)").matcher(log);
        while (m.find()) {
            if (m.group(1).replaceAll("[^a-z0-9]", "_").toUpperCase(java.util.Locale.ROOT).equals(variable)) {
                return true;
            }
        }
        return false;
    }

    /** A value that passes every check up to the first connection (nothing listens on port 1). */
    static String dummy(String variable) {
        return switch (variable) {
            case "QUARKUS_DATASOURCE_JDBC_URL" -> "jdbc:postgresql://127.0.0.1:1/none";
            case "KAFKA_BOOTSTRAP_SERVERS" -> "127.0.0.1:1";
            case "QUARKUS_OIDC_AUTH_SERVER_URL" -> "http://127.0.0.1:1/realms/none";
            case "QUARKUS_OIDC_TOKEN_ISSUER", "FIVESTAR_LINKS_BASE_URL" -> "https://fivestar.example.test";
            case "QUARKUS_MAILER_HOST" -> "127.0.0.1";
            case "QUARKUS_MAILER_FROM" -> "fivestar@example.test";
            default -> "x";
        };
    }

    static String startAndWaitForTheEnd(String service, Map<String, String> settings, Path logs) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.put("QUARKUS_PROFILE", "prod");
        Files.createDirectories(logs);
        Path log = logs.resolve(service + ".log");
        ServiceProcess process = new ServiceProcess(service, FreePorts.pick(),
                ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar"), env, log);
        process.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> !process.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException stillRunning) {
            // reported below, with the log's end
        }
        boolean ended = !process.isAlive();
        process.stop();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, service + " kept running without its settings:\n" + tail(text));
        return text;
    }

    static List<String> union(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
