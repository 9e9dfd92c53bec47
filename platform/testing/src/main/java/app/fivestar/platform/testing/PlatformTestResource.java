package app.fivestar.platform.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a fresh database on a real PostgreSQL, a real Kafka broker and a token key
 * pair. Use with {@code @QuarkusTestResource(PlatformTestResource.class)} (or
 * {@code @WithTestResource}); the servers start once per JVM.
 */
public class PlatformTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://fivestar.test/issuer";

    private String databasePrefix = "test";
    private boolean mailAbsent;

    /**
     * {@code database}: the prefix of the fresh database's name. {@code mail=absent}: the service's mailer points at a
     * free loopback port where no server listens (yet): a test of a mail server outage starts one there when it likes
     * ({@code MailServer.start(port)}, the port read from {@code quarkus.mailer.port}).
     */
    @Override
    public void init(Map<String, String> initArgs) {
        databasePrefix = initArgs.getOrDefault("database", "test");
        mailAbsent = "absent".equals(initArgs.get("mail"));
    }

    @Override
    public Map<String, String> start() {
        TestServers servers = TestServers.get();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", servers.freshDatabase(databasePrefix));
        config.put("quarkus.datasource.username", servers.user());
        config.put("quarkus.datasource.password", servers.password());
        config.put("kafka.bootstrap.servers", servers.kafkaBootstrap());
        // tokens signed with the test key (TestTokens); the real path through Keycloak is proven by deploy/local's SignInTest
        config.put("quarkus.oidc.public-key", KeyFiles.publicKeyBase64(servers.keyDir().resolve(KeyFiles.PUBLIC)));
        config.put("quarkus.oidc.token.issuer", ISSUER);
        config.put("quarkus.mailer.host", "127.0.0.1");
        config.put("quarkus.mailer.port", Integer.toString(mailAbsent ? app.fivestar.platform.servers.FreePorts.pick() : servers.mail().port()));
        return config;
    }

    @Override
    public void stop() {
        // The servers live as long as the JVM; each test run's database is left for inspection.
    }
}
