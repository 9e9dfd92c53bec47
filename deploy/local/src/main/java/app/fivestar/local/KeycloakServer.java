package app.fivestar.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Keycloak, the identity provider of the local stack and of the end-to-end tests: its Quarkus distribution (the
 * zip Maven fetches from Maven Central, {@code org.keycloak:keycloak-quarkus-dist}) unpacked into the data
 * directory, built once for PostgreSQL ({@code kc.sh build}) and started {@code --optimized} afterwards, keeping
 * its data in the stack's PostgreSQL. Keycloak 26 needs Java 21 or newer, found by {@link #java21()}.
 */
public final class KeycloakServer implements AutoCloseable {

    /** What {@code kc.sh build} bakes in; a change rebuilds. */
    private static final List<String> BUILD_OPTIONS = List.of("--db=postgres", "--health-enabled=true");

    public record Settings(Path distZip, Path home, int port, int managementPort, String jdbcUrl, String dbUser, String dbPassword,
                           String adminUser, String adminPassword, Path realmFile, Map<String, String> realmVariables, int heapMb) {
    }

    private final Settings settings;
    private final Path log;
    private Process process;

    private KeycloakServer(Settings settings) {
        this.settings = settings;
        this.log = settings.home().resolve("keycloak.log");
    }

    public static KeycloakServer start(Settings settings) {
        KeycloakServer server = new KeycloakServer(settings);
        server.launch();
        return server;
    }

    public String url() {
        return "http://127.0.0.1:" + settings.port();
    }

    /** The issuer of a realm, as browsers and services on this machine see it. */
    public String issuer(String realm) {
        return url() + "/realms/" + realm;
    }

    public String adminConsole() {
        return url() + "/admin/";
    }

    public Settings settings() {
        return settings;
    }

    public Path log() {
        return log;
    }

    private void launch() {
        Path java = java21().orElseThrow(() -> new IllegalStateException(
                "Keycloak 26 needs Java 21 or newer and none was found (looked at KEYCLOAK_JAVA_HOME, JAVA_HOME and /usr/lib/jvm): "
                        + "install a JDK 21+ or set KEYCLOAK_JAVA_HOME to one"));
        Path dist = unpack();
        build(dist, java);
        try {
            Path imports = dist.resolve("data/import");
            Files.createDirectories(imports);
            if (settings.realmFile() != null) {
                Files.copy(settings.realmFile(), imports.resolve(settings.realmFile().getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> command = new ArrayList<>(List.of(dist.resolve("bin/kc.sh").toString(), "start", "--optimized",
                    "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + settings.port(),
                    "--http-management-port=" + settings.managementPort(),
                    "--hostname=" + url(), "--hostname-backchannel-dynamic=false",
                    "--db-url=" + settings.jdbcUrl(), "--db-username=" + settings.dbUser(), "--db-password=" + settings.dbPassword(),
                    "--db-pool-max-size=10", "--cache=local", "--import-realm"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            environment(builder, java);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", settings.adminUser());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", settings.adminPassword());
            // the realm file's ${...} placeholders are read from the environment when it is imported
            builder.environment().putAll(settings.realmVariables());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak", e);
        }
    }

    /** Waits until Keycloak's readiness check answers 200 (the realm is imported before it does). */
    public void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        URI ready = URI.create("http://127.0.0.1:" + settings.managementPort() + "/health/ready");
        while (Instant.now().isBefore(deadline)) {
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException("Keycloak exited during start-up; see " + log + ", which ends:\n" + ServiceProcess.tail(log, 12));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            pause(Duration.ofMillis(300));
        }
        throw new IllegalStateException("Keycloak was not ready within " + timeout + "; see " + log);
    }

    private void environment(ProcessBuilder builder, Path java) {
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", java.toString());
        env.put("PATH", java.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        // a bounded heap: Keycloak's own default takes a share of the machine's memory
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx" + settings.heapMb() + "m -XX:MaxMetaspaceSize=256m");
        env.remove("JAVA_OPTS");
        env.remove("KC_DB");
    }

    /** Unpacks the distribution into the home directory unless this version is already there. */
    private Path unpack() {
        Path zip = settings.distZip();
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Keycloak's distribution " + zip + " is missing: build the stack first (./mvnw -B package -DskipTests)");
        }
        try {
            Files.createDirectories(settings.home());
            String top = topDirectory(zip);
            Path dist = settings.home().resolve(top);
            if (Files.isRegularFile(dist.resolve("bin/kc.sh"))) {
                return dist;
            }
            Path partial = settings.home().resolve(top + ".partial");
            deleteTree(partial);
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    Path target = partial.resolve(entry.getName().substring(top.length()).replaceFirst("^/+", "")).normalize();
                    if (!target.startsWith(partial)) {
                        throw new IllegalStateException("unexpected entry in " + zip + ": " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        if (target.getFileName().toString().endsWith(".sh")) {
                            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                        }
                    }
                }
            }
            Files.move(partial, dist, StandardCopyOption.ATOMIC_MOVE);
            return dist;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + zip, e);
        }
    }

    /** {@code kc.sh build} once per set of build options: a plain {@code start} would rebuild at every start. */
    private void build(Path dist, Path java) {
        Path marker = dist.resolve(".fivestar-build");
        String wanted = String.join(" ", BUILD_OPTIONS);
        try {
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(wanted)) {
                return;
            }
            List<String> command = new ArrayList<>();
            command.add(dist.resolve("bin/kc.sh").toString());
            command.add("build");
            command.addAll(BUILD_OPTIONS);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            environment(builder, java);
            Process build = builder.start();
            if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
                build.destroyForcibly();
                throw new IllegalStateException("kc.sh build failed; see " + log + ", which ends:\n" + ServiceProcess.tail(log, 12));
            }
            Files.writeString(marker, wanted);
        } catch (IOException e) {
            throw new UncheckedIOException("could not build Keycloak", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building Keycloak", e);
        }
    }

    private static String topDirectory(Path zip) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry first = in.getNextEntry();
            if (first == null) {
                throw new IllegalStateException(zip + " is empty");
            }
            return first.getName().substring(0, first.getName().indexOf('/') + 1).replace("/", "");
        }
    }

    /**
     * A JDK of version 21 or newer: KEYCLOAK_JAVA_HOME, else JAVA_HOME, else the newest under /usr/lib/jvm.
     */
    public static Optional<Path> java21() {
        List<Path> candidates = new ArrayList<>();
        for (String variable : List.of("KEYCLOAK_JAVA_HOME", "JAVA_HOME")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                candidates.add(Path.of(value));
            }
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                dirs.sorted(Comparator.comparing((Path p) -> majorVersion(p).orElse(0)).reversed()).forEach(candidates::add);
            } catch (IOException e) {
                // nothing to add
            }
        }
        return candidates.stream().filter(p -> Files.isExecutable(p.resolve("bin/java")))
                .filter(p -> majorVersion(p).orElse(0) >= 21).findFirst();
    }

    /** The major version from a JDK's {@code release} file. */
    static Optional<Integer> majorVersion(Path jdk) {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(release)) {
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            String version = p.getProperty("JAVA_VERSION", "").replace("\"", "");
            String major = version.startsWith("1.") ? version.substring(2, 3) : version.split("[.+-]")[0];
            return Optional.of(Integer.parseInt(major));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        // kc.sh runs Keycloak as its child: stop the whole tree, Keycloak first
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            for (ProcessHandle h : tree) {
                h.onExit().get(20, TimeUnit.SECONDS);
            }
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        process = null;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void pause(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
