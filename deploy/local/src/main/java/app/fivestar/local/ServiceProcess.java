package app.fivestar.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service of the stack running as its own JVM process from its packaged fast-jar. */
public final class ServiceProcess {

    private final String name;
    private final int port;
    private final Path jar;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    public ServiceProcess(String name, int port, Path jar, Map<String, String> env, Path log) {
        this.name = name;
        this.port = port;
        this.jar = jar;
        this.env = env;
        this.log = log;
    }

    /** The process id of the running service (0 when it is not running). */
    public synchronized long pid() {
        return process == null ? 0 : process.pid();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    /** The setting that replaces the JVM options a service runs with (the benchmarks give it {@link #PRODUCTION_JVM}). */
    public static final String JVM_OPTIONS = "FIVESTAR_JVM_OPTIONS";
    /** A laptop's: small heap, quick start (C1 only). */
    public static final String LAPTOP_JVM = "-Xms64m -Xmx320m -XX:TieredStopAtLevel=1";
    /**
     * What a pod of the Kubernetes manifests runs with: a 1 GiB container (the JVM sizes itself to it), 60 % of it for the
     * heap and the serial collector with the JVM's own heap free ratios (Dockerfile.jvm), full JIT. Another
     * setting for an experiment: {@code -Dfivestar.production-jvm="..."}.
     */
    public static final String PRODUCTION_JVM = System.getProperty("fivestar.production-jvm",
            "-XX:MaxRAM=1g -XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70");

    /** The class-data archive a service's build writes beside its jar (quarkus.package.jar.appcds), used when present. */
    static final String CDS_ARCHIVE = "app-cds.jsa";

    public synchronized void start() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first with ./mvnw -B package -DskipTests");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(env.getOrDefault(JVM_OPTIONS, LAPTOP_JVM).trim().split("\\s+")));
        if (Files.isRegularFile(jar.resolveSibling(CDS_ARCHIVE))) {
            // the class archive the build made (AppCDS): it names the jar relative to its directory, so the JVM runs there
            command.add("-XX:SharedArchiveFile=" + CDS_ARCHIVE);
        }
        command.addAll(List.of("-Dfile.encoding=UTF-8", "-jar", jar.getFileName().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(jar.toAbsolutePath().getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Waits until {@code /q/health/ready} answers 200. */
    public void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + log + ", which ends:\n" + tail(log, 8));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            waitQuietly(Duration.ofMillis(250));
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    /** Asks the process to stop (SIGTERM: Quarkus shuts down gracefully), then kills it if it lingers. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Kills the process without warning (SIGKILL), as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** The last {@code lines} lines of a log, for an error message that explains itself. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void waitQuietly(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
