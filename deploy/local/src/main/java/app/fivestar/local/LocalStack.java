package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;
import app.fivestar.platform.servers.KafkaServer;
import app.fivestar.platform.servers.MailServer;
import app.fivestar.platform.servers.PostgresServer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The one-command local stack: a real PostgreSQL (one database per service) and a real Kafka broker in this
 * JVM, and the three services as separate processes in the {@code local} profile. Data lives in the data
 * directory and survives a restart; Keycloak (see KeycloakServer) and the front door (web) start with them.
 */
public final class LocalStack implements AutoCloseable {

    public static final String REALM = "fivestar";

    /** The demo password of every demo person (the realm file's ${FIVESTAR_DEMO_PASSWORD}); a demo, not a secret. */
    public static final String DEMO_PASSWORD = "fivestar-demo";

    /**
     * Where and how to run; {@code settings} are environment variables given to every service (configuration overrides).
     * {@code frontDoorPort} is where people reach the browser apps (Keycloak sends them back there after sign-in).
     */
    public record Options(Path root, Path data, int postgresPort, int kafkaPort, int smtpPort, int keycloakPort, int keycloakManagementPort,
                          int frontDoorPort, Map<String, Integer> servicePorts, int replicas, Map<String, String> settings, boolean demoHistory) {
        /** Free ports for Keycloak and the front door, no demo history (an empty campaign): what tests use. */
        public Options(Path root, Path data, int postgresPort, int kafkaPort, int smtpPort, Map<String, Integer> servicePorts) {
            this(root, data, postgresPort, kafkaPort, smtpPort, FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), servicePorts, 1, Map.of(), false);
        }

        public static Options defaults(Path root, Path data) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("task-service", 8081);
            ports.put("review-service", 8082);
            ports.put("notification-service", 8083);
            return new Options(root, data, 15432, 19092, 13025, 8180, 8190, 8080, ports, 1, Map.of(), true);
        }

        public Options withReplicas(int n) {
            return new Options(root, data, postgresPort, kafkaPort, smtpPort, keycloakPort, keycloakManagementPort, frontDoorPort, servicePorts, n,
                    settings, demoHistory);
        }

        public Options withSettings(Map<String, String> more) {
            return new Options(root, data, postgresPort, kafkaPort, smtpPort, keycloakPort, keycloakManagementPort, frontDoorPort, servicePorts,
                    replicas, more, demoHistory);
        }

        /** With ({@code true}) or without the illustrative twelve weeks of campaign history loaded at the first start. */
        public Options withDemoHistory(boolean load) {
            return new Options(root, data, postgresPort, kafkaPort, smtpPort, keycloakPort, keycloakManagementPort, frontDoorPort, servicePorts,
                    replicas, settings, load);
        }

        public String frontDoor() {
            return "http://127.0.0.1:" + frontDoorPort;
        }
    }

    private final Options options;
    private final PrintStream out;
    private PostgresServer postgres;
    private KafkaServer kafka;
    private MailServer mail;
    private KeycloakServer keycloak;
    private Secrets secrets;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    private LocalStack(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static LocalStack start(Options options, PrintStream out) {
        LocalStack stack = new LocalStack(options, out);
        try {
            stack.startAll();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startAll() {
        secrets = Secrets.in(options.data().resolve("secrets"));
        out.println("[1/4] PostgreSQL on 127.0.0.1:" + options.postgresPort() + " (data in " + options.data().resolve("postgres") + ")");
        postgres = PostgresServer.start(options.data().resolve("postgres"), options.postgresPort());
        postgres.ensureDatabase("keycloak");
        out.println("[2/4] Keycloak on 127.0.0.1:" + options.keycloakPort() + " (Java " + KeycloakServer.java21().map(Path::toString).orElse("21+ missing")
                + "; log in " + options.data().resolve("keycloak/keycloak.log") + ")");
        keycloak = KeycloakServer.start(new KeycloakServer.Settings(
                options.root().resolve("deploy/local/target/keycloak/keycloak-quarkus-dist.zip"), options.data().resolve("keycloak"),
                options.keycloakPort(), options.keycloakManagementPort(), postgres.jdbcUrl("keycloak"), PostgresServer.USER, "postgres",
                "admin", secrets.keycloakAdminPassword(), options.root().resolve("task-service/target/keycloak/fivestar-realm.json"),
                Map.of("FIVESTAR_DEMO_PASSWORD", DEMO_PASSWORD, "FIVESTAR_WEB_CLIENT_SECRET", secrets.webClientSecret(),
                        "FIVESTAR_FRONT_DOOR", options.frontDoor(), "FIVESTAR_ACCOUNTS_CLIENT_SECRET", secrets.accountsClientSecret()), 512));
        out.println("[3/4] Kafka on 127.0.0.1:" + options.kafkaPort() + " (data in " + options.data().resolve("kafka") + ")");
        kafka = KafkaServer.start(options.data().resolve("kafka"), options.kafkaPort());
        mail = MailServer.start(options.smtpPort());
        out.println("      SMTP on 127.0.0.1:" + mail.port() + " (mail is kept in memory)");
        List<ServiceProcess> started = new ArrayList<>();
        for (var entry : options.servicePorts().entrySet()) {
            String name = entry.getKey();
            postgres.ensureDatabase(name.replace("-service", ""));
            for (int r = 1; r <= options.replicas(); r++) {
                // further replicas share the database and the broker, as replicas in production do
                String id = r == 1 ? name : name + "-" + r;
                ServiceProcess service = process(name, id, r == 1 ? entry.getValue() : FreePorts.pick(), Map.of());
                services.put(id, service);
                service.start();
                started.add(service);
            }
        }
        // the front door: sign-in for people, the browser apps, /api forwarded to the services
        ServiceProcess web = frontDoor();
        services.put(web.name(), web);
        web.start();
        started.add(web);
        keycloak.awaitReady(Duration.ofSeconds(180));
        out.println("      Keycloak ready at " + keycloak.url());
        out.println("[4/4] started " + String.join(", ", services.keySet()) + " (logs in " + options.data().resolve("logs") + ")");
        for (ServiceProcess service : started) {
            service.awaitReady(Duration.ofSeconds(180));
            out.println("      " + service.name() + " ready at " + service.url());
        }
        if (options.demoHistory()) {
            loadDemoHistory();
        }
    }

    /**
     * The first start of a data directory loads the illustrative campaign history (DemoHistory); later starts find it
     * done. The weeks are fixed at the first attempt (the anchor file): a start after one killed in the middle loads
     * the same history again, and its idempotent calls make it one history, not two.
     */
    DemoHistory.Result loadDemoHistory() {
        Path done = options.data().resolve("demo-history.done");
        if (Files.exists(done)) {
            return null;
        }
        try {
            java.time.LocalDate anchor = demoAnchor();
            out.println("[5/5] loading the illustrative campaign history (12 weeks before " + anchor + "; run.sh --empty starts without it) …");
            DemoHistory.Result r = new DemoHistory(new DemoHistory.Endpoints(service("task-service").url(), service("review-service").url()),
                    this::token, anchor, java.time.Instant.now(), out).load();
            Files.writeString(done, r.toString());
            out.printf("      demo history loaded: %d weeks, %d dispatches, %d tasks, %d calls in %.1f s%n", r.weeks(), r.dispatches(), r.tasks(),
                    r.calls(), r.took().toMillis() / 1000.0);
            return r;
        } catch (java.io.IOException | RuntimeException e) {
            // the stack runs on without it: the next start tries again (and makes one history, not two)
            out.println("      the demo history could not be loaded (the next start tries again): " + e);
            return null;
        }
    }

    /** The Monday the demo history ends at: fixed at the first attempt to load it (demo-history.anchor in the data directory). */
    java.time.LocalDate demoAnchor() throws java.io.IOException {
        Path anchorFile = options.data().resolve("demo-history.anchor");
        if (!Files.exists(anchorFile)) {
            Files.writeString(anchorFile, DemoHistory.anchorFor(java.time.Instant.now()).toString());
        }
        return java.time.LocalDate.parse(Files.readString(anchorFile).strip());
    }

    /**
     * Starts one more instance of a service of the running stack, sharing its database and broker, with {@code overrides}
     * on top of the stack's settings (another profile, for instance). The caller waits for it and stops it.
     */
    public ServiceProcess startExtra(String name, String id, Map<String, String> overrides) {
        ServiceProcess service = process(name, id, FreePorts.pick(), overrides);
        service.start();
        return service;
    }

    private ServiceProcess process(String name, String id, int port, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "local");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(name.replace("-service", "")));
        env.put("QUARKUS_DATASOURCE_USERNAME", PostgresServer.USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.issuer(REALM));
        env.put("QUARKUS_OIDC_TOKEN_ISSUER", keycloak.issuer(REALM));
        env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", "fivestar-api");
        if (name.equals("task-service")) {
            env.put("FIVESTAR_ACCOUNTS_ENABLED", "true");
            env.put("FIVESTAR_ACCOUNTS_REALM_URL", keycloak.issuer(REALM));
            env.put("FIVESTAR_ACCOUNTS_CLIENT_SECRET", secrets.accountsClientSecret());
        }
        env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        env.put("QUARKUS_MAILER_PORT", Integer.toString(mail.port()));
        env.put("FIVESTAR_LINKS_BASE_URL", options.frontDoor());
        env.putAll(options.settings());
        env.putAll(overrides);
        Path jar = options.root().resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        return new ServiceProcess(id, port, jar, env, options.data().resolve("logs").resolve(id + ".log"));
    }

    private ServiceProcess frontDoor() {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "local");
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.issuer(REALM));
        env.put("QUARKUS_OIDC_CREDENTIALS_SECRET", secrets.webClientSecret());
        for (var entry : options.servicePorts().entrySet()) {
            env.put("FIVESTAR_UPSTREAMS_" + entry.getKey().toUpperCase(java.util.Locale.ROOT).replace('-', '_'), "http://127.0.0.1:" + entry.getValue());
        }
        env.putAll(options.settings());
        return new ServiceProcess("web", options.frontDoorPort(), options.root().resolve("web/target/quarkus-app/quarkus-run.jar"), env,
                options.data().resolve("logs").resolve("web.log"));
    }

    public KafkaServer kafka() {
        return kafka;
    }

    public MailServer mail() {
        return mail;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    private final Map<String, Map.Entry<java.time.Instant, String>> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * An access token for a demo person, from Keycloak (password grant of the demo-only fivestar-cli client); one is
     * reused for two minutes (tokens live five).
     */
    public String token(String username) {
        java.time.Instant now = java.time.Instant.now();
        return tokens.compute(username, (u, held) -> held != null && held.getKey().isAfter(now.minusSeconds(120)) ? held
                : Map.entry(now, Tokens.passwordGrant(keycloak.issuer(REALM), "fivestar-cli", u, DEMO_PASSWORD))).getValue();
    }

    /** The person id a demo person's token carries. */
    public String personId(String username) {
        return Tokens.claim(token(username), "personId");
    }

    /** The Keycloak administrator's password of this stack (kept in the data directory). */
    public String keycloakAdminPassword() {
        return secrets.keycloakAdminPassword();
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    /** Every service process of the stack (the front door included), in start order. */
    public java.util.Collection<ServiceProcess> services() {
        return java.util.Collections.unmodifiableCollection(services.values());
    }

    public void printWelcome() {
        out.println();
        out.println("五星支部创建任务系统 — local stack is up (demo data is illustrative).");
        for (ServiceProcess s : services.values()) {
            if (!s.name().equals("web")) {
                out.printf("  %-22s %s/q/swagger-ui   (health %s/q/health)%n", s.name(), s.url(), s.url());
            }
        }
        out.println();
        out.println("Front door:          " + options.frontDoor() + "   (console /, leaders' dashboard /dashboard/, phone /m/)");
        out.println("Sign-in (Keycloak):  " + keycloak.issuer(REALM) + "   admin console " + keycloak.adminConsole()
                + " (admin / " + secrets.keycloakAdminPassword() + ")");
        out.println("Demo accounts:       office, leader, admin, st-lead, st-cadre, sec-t01 … (every demo person; password " + DEMO_PASSWORD + ")");
        ServiceProcess task = services.get("task-service");
        if (task != null) {
            out.println("Get a token:         TOKEN=$(curl -s " + keycloak.issuer(REALM) + "/protocol/openid-connect/token -d grant_type=password "
                    + "-d client_id=fivestar-cli -d username=office -d password=" + DEMO_PASSWORD + " | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')");
            out.println("Use it:              curl -H \"Authorization: Bearer $TOKEN\" " + task.url() + "/api/v1/catalogue");
        }
        out.println();
        out.println("Ctrl-C stops everything; data stays in " + options.data());
    }

    @Override
    public void close() {
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(ServiceProcess::stop);
        if (keycloak != null) {
            keycloak.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (mail != null) {
            mail.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Path root = Path.of("").toAbsolutePath();
        Path data = null;
        boolean freePorts = false;
        boolean empty = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]).toAbsolutePath();
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--free-ports" -> freePorts = true;
                case "--empty" -> empty = true;
                default -> {
                    System.err.println("usage: run.sh [--data DIR] [--free-ports] [--empty]");
                    System.exit(2);
                }
            }
        }
        data = data == null ? root.resolve(".local-data") : data;
        Options options = Options.defaults(root, data);
        if (freePorts) {
            // every server on a port nothing else uses (a second stack beside the first; the Ctrl-C test)
            Map<String, Integer> ports = new LinkedHashMap<>();
            options.servicePorts().keySet().forEach(s -> ports.put(s, FreePorts.pick()));
            options = new Options(root, data, FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), ports).withDemoHistory(!empty);
        }
        options = options.withDemoHistory(!empty);
        LocalStack stack = start(options, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping the local stack …");
            stack.close();
            System.out.println("stopped.");
            stopped.countDown();
        }, "local-stack-stop"));
        stack.printWelcome();
        stopped.await();
    }
}
