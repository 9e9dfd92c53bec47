package app.fivestar.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A terminal's Ctrl-C sends SIGINT to the whole foreground process group at once — the launcher (and the Kafka broker
 * in it), PostgreSQL, Keycloak and every service. The stack as run.sh starts it (its own process group, as a
 * terminal gives it) must then be gone within 15 s, PostgreSQL included, and start again on the same data; and so
 * must it after a SIGTERM to the launcher alone (what a process manager sends).
 */
class StopTest {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    record Stack(Process launcher, Path log) {
        long pgid() {
            return launcher.pid();   // setsid: the launcher leads its own group
        }
    }

    static Stack start(Path data, String name) throws IOException {
        Path log = Files.createTempFile("stop-test-" + name, ".log");
        // a terminal's foreground job has SIGINT at its default; a build started in the background (nohup, `&` without job
        // control) passes SIGINT on ignored, and a JVM that starts with it ignored never hears Ctrl-C: reset it, as a terminal has it
        List<String> command = new ArrayList<>(List.of("setsid", "perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!",
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "app.fivestar.local.LocalStack", "--root", ROOT.toString(), "--data", data.toString(),
                "--free-ports", "--empty"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Stack stack = new Stack(p, log);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("the launcher exited: " + tail(log));
            }
            return Files.readString(log, StandardCharsets.UTF_8).contains("Ctrl-C stops everything");
        });
        return stack;
    }

    /** Every process still in the stack's group, or still running on its data directory (PostgreSQL). */
    static List<String> leftOver(Stack stack, Path data) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-eo", "pid=,pgid=,args=").redirectErrorStream(true).start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ps.waitFor(10, TimeUnit.SECONDS);
        List<String> left = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\s+", 3);
            if (f.length == 3 && !f[2].startsWith("ps ") && (f[1].equals(Long.toString(stack.pgid())) || f[2].contains(data.toString()))) {
                left.add(line.strip());
            }
        }
        return left;
    }

    static void signal(String signal, String target) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, "--", target).inheritIO().start().waitFor());
    }

    static double awaitGone(Stack stack, Path data) {
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> leftOver(stack, data).isEmpty());
        return (System.nanoTime() - t0) / 1e9;
    }

    static void kill(Stack stack, Path data) {
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + stack.pgid()).start().waitFor();
            for (String line : leftOver(stack, data)) {
                new ProcessBuilder("kill", "-KILL", line.split("\\s+")[0]).start().waitFor();
            }
        } catch (IOException | InterruptedException e) {
            // best effort: the assertions already said what was left
        }
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Test
    void ctrlCToTheWholeGroupStopsEverythingAndTheStackStartsAgainAndSoDoesATermToTheLauncher() throws Exception {
        Path data = Files.createTempDirectory("fivestar-stop");
        Stack first = start(data, "first");
        try {
            assertEquals(false, leftOver(first, data).isEmpty(), "the stack runs in its own group");
            signal("INT", "-" + first.pgid());
            double seconds = awaitGone(first, data);
            System.out.printf("Ctrl-C (SIGINT to the group): everything gone %.1f s later%n", seconds);
        } catch (Throwable t) {
            List<String> left = leftOver(first, data);
            kill(first, data);
            throw new AssertionError("left after SIGINT: " + left + "\n" + tail(first.log()), t);
        }
        Stack second = start(data, "second");
        try {
            signal("TERM", Long.toString(second.launcher().pid()));
            double seconds = awaitGone(second, data);
            System.out.printf("SIGTERM to the launcher: everything gone %.1f s later%n", seconds);
        } catch (Throwable t) {
            List<String> left = leftOver(second, data);
            kill(second, data);
            throw new AssertionError("left after SIGTERM: " + left + "\n" + tail(second.log()), t);
        }
    }
}
