package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task write path against its limits, side by side in one run (a measurement, not a test; loopback only, bounded),
 * in parts that {@code --parts} may choose from (all by default):
 * <ol>
 *   <li>{@code closes}: pgbench with the SQL a close writes (the task row, its journal line, its outbox event) on copies
 *       of the three tables with the same indexes and no triggers — the raw limit of these writes on this machine —, on
 *       the real task and journal tables with the outbox's copy (the dashboard's trigger and fold, nothing behind the
 *       outbox) and on the real tables (the relay, the broker and notification-service's consumer take up its events too);
 *       closing moves through REST ({@code POST /api/v1/tasks/{id}/start}, If-Match *) at the same
 *       concurrency, each task once: requests per second, p50/p95/p99, the ratio to the raw limit; after the load, the
 *       outbox backlog and the dashboard's pending changes and how long until they are drained and folded;</li>
 *   <li>{@code kafka}: Kafka's own producer-performance and end-to-end-latency tools against the stack's broker;</li>
 *   <li>{@code push}: closes at a fixed rate while the office's inbox stream is open, each until its message is pushed, after
 *       warm-up rounds at that rate until both services' JIT compilers are idle ({@link LiveBenchmarks#closeToInboxPush});</li>
 *   <li>{@code dispatch}: a 50,000-task dispatch (202 → DONE), a phone syncing during it, the relay and the fan-out, with the CPU
 *   per task and the busiest threads; twice: the first after the start, then again;</li>
 *   <li>{@code dashboard}: the dashboard's views at millions of tasks while pgbench writes 500 closes/s
 *       ({@link LiveBenchmarks#dashboardUnderWrites});</li>
 *   <li>{@code alone}: each service restarted {@code --starts} times (5) while the rest idles: each start's ready time,
 *       their median and range (one start's time moves by a quarter on this shared machine), and the idle resident
 *       memory after the last.</li>
 * </ol>
 * The services run with the JVM of a pod of the Kubernetes manifests ({@link ServiceProcess#PRODUCTION_JVM}). A summary
 * table ends the run.
 *
 * <pre>java -cp deploy/local/target/local-stack-1.0.0-SNAPSHOT.jar app.fivestar.local.WriteBenchmark [--connections 16] [--seconds 15]
 *     [--dispatch 50000] [--dashboard-tasks 6000000] [--push-rate 200] [--warmup-rounds 30] [--starts 5]
 *     [--parts closes,kafka,push,dispatch,dashboard,alone]</pre>
 */
public final class WriteBenchmark {

    private WriteBenchmark() {
    }

    /** What a run measures, in this order (all by default). */
    static final List<String> ALL_PARTS = List.of("closes", "kafka", "push", "dispatch", "dashboard", "alone");

    public static void main(String[] args) throws Exception {
        int connections = 16;
        int seconds = 15;
        int dispatchTasks = 50_000;
        int dashboardTasks = 6_000_000;
        int pushRate = 200;
        int warmupRounds = 30;
        int starts = 5;
        Path root = Path.of("").toAbsolutePath();
        java.util.Set<String> parts = new java.util.LinkedHashSet<>(ALL_PARTS);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--dispatch" -> dispatchTasks = Integer.parseInt(args[++i]);
                case "--dashboard-tasks" -> dashboardTasks = Integer.parseInt(args[++i]);
                case "--push-rate" -> pushRate = Integer.parseInt(args[++i]);
                case "--warmup-rounds" -> warmupRounds = Integer.parseInt(args[++i]);
                case "--starts" -> starts = Integer.parseInt(args[++i]);
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
                case "--parts" -> parts = new java.util.LinkedHashSet<>(List.of(args[++i].split(",")));
                default -> throw new IllegalArgumentException("usage: [--connections N] [--seconds N] [--dispatch N] [--dashboard-tasks N] [--push-rate N] [--warmup-rounds N] [--starts N] [--parts "
                        + String.join(",", ALL_PARTS) + "] [--root DIR]");
            }
        }
        if (starts < 1) {
            throw new IllegalArgumentException("--starts must be 1 or more (each service's starts of the alone part), not " + starts);
        }
        String pgbench = onPath("pgbench", "measures the raw SQL limit (Debian: apt-get install postgresql-client)");
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("task-service", FreePorts.pick());
        ports.put("notification-service", FreePorts.pick());
        LocalStack.Options options = new LocalStack.Options(root, Files.createTempDirectory("fivestar-write-bench"), FreePorts.pick(),
                FreePorts.pick(), FreePorts.pick(), ports).withSettings(Map.of("FIVESTAR_OVERDUE_EVERY", "off",
                ServiceProcess.JVM_OPTIONS, ServiceProcess.PRODUCTION_JVM));
        try (LocalStack stack = LocalStack.start(options, System.out)) {
            String jdbc = stack.postgres().jdbcUrl("task");
            String cadre = stack.personId("st-cadre");
            int restTasks = Math.max(20_000, 3_000 * seconds);
            int warmup = 150_000; // enough for 30 warm-up rounds at 500 closes/s
            int pgbenchRows = 10_000;
            seed(jdbc, cadre, restTasks + warmup + pgbenchRows);
            List<String> ids = ids(jdbc, restTasks + warmup + pgbenchRows);
            List<String> forRest = ids.subList(0, restTasks);
            List<String> forWarmup = ids.subList(restTasks, restTasks + warmup);
            pick(jdbc, ids.subList(restTasks + warmup, ids.size()));
            String base = stack.service("task-service").url();
            String token = stack.token("st-cadre");
            System.out.printf("%nmachine: %d cores, JVM of the services: %s%n", Runtime.getRuntime().availableProcessors(), ServiceProcess.PRODUCTION_JVM);

            warmUp(stack.service("task-service"), base, () -> stack.token("st-cadre"), forWarmup, connections, warmupRounds); // as a server that has run a while
            if (parts.contains("closes")) {
            copies(jdbc);
            Path script = Files.createTempFile("close", ".sql");
            String payload = lastPayload(jdbc);
            long servicePid = stack.service("task-service").pid();
            Cpu rawFrom = Cpu.now(servicePid);
            double raw = pgbench(pgbench, stack, script, closeSql("bench_task", "bench_journal", "bench_outbox", cadre, payload), connections, seconds);
            Cpu rawCpu = Cpu.now(servicePid).since(rawFrom);
            // the read model apart: the real task and journal tables (the dashboard's trigger, folded by task-service), the outbox a copy
            double readModel = pgbench(pgbench, stack, script, closeSql("task", "task_journal", "bench_outbox", cadre, payload), connections, seconds);
            // the real outbox too: the relay, the broker and notification-service's consumer take up what pgbench writes
            double real = pgbench(pgbench, stack, script, closeSql("task", "task_journal", "outbox_event", cadre, payload), connections, seconds);
            System.out.println("REST closes start");
            double jitBefore = jitSeconds(servicePid);
            String restToken = stack.token("st-cadre"); // a fresh token: Keycloak's live 5 minutes
            Cpu restFrom = Cpu.now(servicePid);
            Map<String, Double> processesFrom = cpuByProcess(stack);
            long transactionsFrom = transactions(jdbc);
            Load rest = rest(base, restToken, forRest, connections, seconds);
            long restTransactions = transactions(jdbc) - transactionsFrom;
            Cpu restCpu = Cpu.now(servicePid).since(restFrom);
            Map<String, Double> restByProcess = cpuSince(stack, processesFrom);
            restByProcess.computeIfPresent(THIS_JVM, (k, v) -> v - rest.cpuSeconds()); // its load threads are printed apart
            double jitCores = (jitSeconds(servicePid) - jitBefore) / seconds;
            long stopped = System.nanoTime();
            long backlog = count(jdbc, "select count(*) from outbox_event where published_at is null");
            long pending = count(jdbc, "select count(*) from dashboard_change");
            double outboxDrained = drained(() -> count(jdbc, "select count(*) from outbox_event where published_at is null"), stopped);
            double dashboardFolded = drained(() -> count(jdbc, "select count(*) from dashboard_change"), stopped);

            System.out.printf("%n%-66s %10s%n", "closing moves, " + connections + " connections, " + seconds + " s each", "per second");
            System.out.printf("%-66s %10.0f%n", "raw SQL of a close, copies of the 3 tables, no triggers (pgbench)", raw);
            System.out.printf("%-66s %10.0f%n", "raw SQL, real task + journal (dashboard trigger), outbox copy", readModel);
            System.out.printf("%-66s %10.0f%n", "raw SQL, real tables (the trigger; relay, broker, consumer)", real);
            System.out.printf("%-66s %10.0f   p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d errors%n", "REST POST /api/v1/tasks/{id}/start",
                    rest.perSecond(), rest.p(50), rest.p(95), rest.p(99), rest.errors());
            System.out.printf("%-66s %10.2f%n", "REST / raw limit without triggers", rest.perSecond() / raw);
            System.out.printf("%-66s %10.2f%n", "task-service's JIT compilers during it (cores)", jitCores);
            double restCloses = rest.micros().size();
            System.out.printf("%-66s %10.2f%n", "CPU per close, ms: raw SQL, whole machine (pgbench's client too)", 1000 * rawCpu.machine() / (raw * seconds));
            System.out.printf("%-66s %10.2f   task-service's share %.2f ms%n", "CPU per close, ms: REST, whole machine (the load generator too)",
                    1000 * restCpu.machine() / restCloses, 1000 * restCpu.service() / restCloses);
            System.out.println("  of it, ms per close: " + shares(restByProcess, restCloses) + String.format(", the load generator's threads %.2f, the rest %.2f",
                    1000 * rest.cpuSeconds() / restCloses, 1000 * (restCpu.machine() - named(restByProcess) - rest.cpuSeconds()) / restCloses));
            System.out.printf("%-66s %10.2f%n", "PostgreSQL transactions in task-service's database per REST close", restTransactions / restCloses);
            LiveBenchmarks.SUMMARY.put("REST closes, " + connections + " connections", String.format("%,.0f/s = %.2f × raw SQL without triggers (%,.0f), "
                    + "p99 %.0f ms; with the dashboard's trigger %,.0f; real tables %,.0f", rest.perSecond(), rest.perSecond() / raw, raw, rest.p(99), readModel, real));
            System.out.printf("%-66s %10.2f%n", "with the dashboard's trigger / raw limit without triggers", readModel / raw);
            System.out.printf("%-66s %10.2f%n", "real tables / raw limit without triggers", real / raw);
            System.out.printf("%-66s %10.2f%n", "REST / real tables", rest.perSecond() / real);
            System.out.printf("%nat the end of the REST load: outbox backlog %,d events, drained in %.2f s; dashboard %,d changes pending, "
                    + "folded in %.2f s (its staleness)%n", backlog, outboxDrained, pending, dashboardFolded);
            }
            if (parts.contains("kafka")) {
                LiveBenchmarks.kafkaTools(stack, lastPayload(jdbc).length());
            }
            if (parts.contains("push")) {
                LiveBenchmarks.closeToInboxPush(stack, jdbc, pushRate, seconds, warmupRounds);
            }
            if (parts.contains("dispatch")) {
                // the first after the start compiles its path in task-service and notification-service (the JIT's threads are
                // printed); the second is what a server that has dispatched before does
                largeDispatch(stack, jdbc, base, dispatchTasks, stack.token("st-cadre"), ids.get(restTasks - 1), "first");
                largeDispatch(stack, jdbc, base, dispatchTasks, stack.token("st-cadre"), ids.get(restTasks - 2), "again");
            }
            if (parts.contains("dashboard")) {
                pick(jdbc, ids.subList(restTasks + warmup, ids.size())); // pgbench's closes move these between two statuses
                LiveBenchmarks.dashboardUnderWrites(stack, jdbc, pgbench, Files.createTempFile("close", ".sql"),
                        closeSql("task", "task_journal", "outbox_event", cadre, lastPayload(jdbc)), dashboardTasks, 500, seconds, 4);
            }
            if (parts.contains("alone")) {
                for (String name : List.of("task-service", "notification-service")) {
                    startAlone(stack.service(name), starts);
                }
            }
            System.out.printf("%n%-52s %s%n", "summary (" + String.join(", ", parts) + ")", "");
            LiveBenchmarks.SUMMARY.forEach((k, v) -> System.out.printf("  %-50s %s%n", k, v));
        }
    }

    /** The program's path, or a one-line failure naming it and what it is for. */
    static String onPath(String program, String what) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(program + " is missing: it " + what);
    }

    /**
     * A dispatch of {@code tasks} tasks (one line fanned out to that many villages, made in SQL first): the time from the
     * POST until its progress says DONE and every task is in the database and in {@code GET /api/v1/tasks}; then the time
     * until notification-service has consumed every task.assigned.v1 (its consumer group's lag 0) and the inbox rows made.
     */
    static void largeDispatch(LocalStack stack, String jdbc, String base, int tasks, String cadre, String spareTask, String which) throws Exception {
        String prefix = "B-" + which + "-"; // each dispatch's own towns and villages
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
            int towns = (tasks + 19) / 20;
            s.execute("insert into town (id, code, name, kind) select gen_random_uuid(), '" + prefix + "' || lpad(n::text, 5, '0'), '压测镇' || n, 'TOWN' "
                    + "from generate_series(1, " + towns + ") n");
            s.execute("insert into village (id, code, name, town_id, kind) select gen_random_uuid(), t.code || '-' || lpad(v::text, 2, '0'), "
                    + "'压测村' || v, t.id, 'VILLAGE' from town t cross join generate_series(1, 20) v where t.code like '" + prefix + "%'");
        }
        List<String> villages = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from village where code like '" + prefix + "%' order by code limit " + tasks)) {
            while (rs.next()) {
                villages.add("\"" + rs.getString(1) + "\"");
            }
        }
        String group = text(jdbc, "select group_id from person where username = 'st-cadre'");
        String body = "{\"week\":\"" + isoWeek() + "\",\"lines\":[{\"title\":\"压测交办\",\"groupId\":\"" + group + "\",\"dueDate\":\""
                + java.time.LocalDate.now().plusDays(10) + "\",\"fanOut\":{\"villageIds\":[" + String.join(",", villages) + "]}}]}";
        String office = stack.token("office");
        HttpClient phone = HttpClient.newHttpClient();
        String since = null;
        do { // the cadre's phone syncs its whole list first
            String page = get(phone, base + "/api/v1/me/tasks" + (since == null ? "" : "?since=" + since), cadre);
            since = page.replaceAll("(?s).*\"syncToken\":\"([^\"]+)\".*", "$1");
            if (!page.contains("\"more\":true")) {
                break;
            }
        } while (true);
        drained(() -> lag(stack), System.nanoTime()); // what the close load left is consumed first
        long consumedBefore = consumed(stack);
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Double> cpu0 = cpuByProcess(stack);
        long taskService = stack.services().stream().filter(sp -> sp.name().equals("task-service")).findFirst().orElseThrow().pid();
        Map<String, Double> threads0 = threadSeconds(taskService);
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/dispatches")).header("Authorization", "Bearer " + office)
                .header("Content-Type", "application/json").header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        double answered = (System.nanoTime() - t0) / 1e9;
        if (r.statusCode() != 202) {
            throw new IllegalStateException("the dispatch answered " + r.statusCode() + ": " + r.body());
        }
        String id = r.body().replaceAll("(?s).*?\"id\":\"([^\"]+)\".*", "$1");
        // while the job's transaction runs: the cadre starts a task and syncs until the phone has it
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> get(http, base + "/api/v1/dispatches/" + id + "?tasks=false", office).matches("(?s).*\"created\":[1-9].*"));
        long s0 = System.nanoTime();
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks/" + spareTask + "/start"))
                .header("Authorization", "Bearer " + cadre).header("If-Match", "*").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        String token = since;
        boolean synced = false;
        while (started.statusCode() == 200 && !synced && System.nanoTime() - s0 < TimeUnit.SECONDS.toNanos(30)) {
            String page = get(phone, base + "/api/v1/me/tasks?since=" + token, cadre);
            synced = page.contains(spareTask);
            token = page.replaceAll("(?s).*\"syncToken\":\"([^\"]+)\".*", "$1");
        }
        double syncSeconds = (System.nanoTime() - s0) / 1e9;
        boolean jobStillRunning = get(http, base + "/api/v1/dispatches/" + id + "?tasks=false", office).contains("\"PENDING\"");
        String status = org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(http, base + "/api/v1/dispatches/" + id + "?tasks=false", office).replaceAll("(?s).*?\"status\":\"([A-Z]+)\".*", "$1"),
                st -> !"PENDING".equals(st));
        double done = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> cpuDone = cpuByProcess(stack);
        Map<String, Double> threadsDone = threadSeconds(taskService);
        long notificationService = stack.services().stream().filter(sp -> sp.name().equals("notification-service")).findFirst().orElseThrow().pid();
        Map<String, Double> fanOutThreads0 = threadSeconds(notificationService);
        long created = count(jdbc, "select count(*) from task where dispatch_id = '" + id + "'");
        String listed = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks?limit=1&dispatchId=" + id))
                .header("Authorization", "Bearer " + office).build(), HttpResponse.BodyHandlers.ofString()).body();
        long backlogAtDone = count(jdbc, "select count(*) from outbox_event where published_at is null");
        double relayed = drained(() -> count(jdbc, "select count(*) from outbox_event where published_at is null"), t0, 300);
        Map<String, Double> cpuRelayed = cpuByProcess(stack);
        double fanOut = drained(() -> Math.max(0, consumedBefore + created - consumed(stack)), t0, 300);
        Map<String, Double> cpuFanOut = cpuByProcess(stack);
        Map<String, Double> fanOutThreads = threadSeconds(notificationService);
        System.out.printf("%n%s dispatch of %,d tasks (one line to %,d villages): 202 after %.2f s, %s after %.2f s (%,.0f tasks/s), %,d tasks in the "
                        + "database, listed by GET /api/v1/tasks: %s%n", which, tasks, villages.size(), answered, status, done, created / done, created,
                listed.contains(id) ? "yes" : "NO");
        System.out.printf("a close made while the job ran (still running when the phone had it: %s) reached the cadre's phone sync %.3f s "
                + "after the close was sent%s%n", jobStillRunning ? "yes" : "no", syncSeconds, synced ? "" : " (NOT SYNCED)");
        System.out.printf("outbox backlog at DONE %,d events; all published to Kafka %.2f s after the POST%n", backlogAtDone, relayed);
        System.out.printf("CPU per task, ms: POST → DONE %s; DONE → all published %s; then → all consumed %s%n",
                shares(difference(cpuDone, cpu0), created), shares(difference(cpuRelayed, cpuDone), created), shares(difference(cpuFanOut, cpuRelayed), created));
        System.out.printf("task-service's threads, POST → DONE (the job's own is dispatch-jobs; GC runs in the VM Thread): %s%n",
                busiestThreads(threadsDone, threads0));
        System.out.printf("notification-service's threads, DONE → all consumed (the consumer's is event-consumer): %s%n",
                busiestThreads(fanOutThreads, fanOutThreads0));
        System.out.printf("notification-service consumed all %,d task.assigned.v1 %.2f s after the POST (%.2f s after DONE; %,.0f events/s "
                + "over that)%n", created, fanOut, fanOut - done, created / Math.max(0.001, fanOut - done));
        double relayRate = created / Math.max(0.001, relayed - done);
        LiveBenchmarks.SUMMARY.put(String.format("dispatch of %,d tasks (%s)", created, which), String.format("DONE %.2f s; a sync during it %.3f s", done, syncSeconds));
        LiveBenchmarks.SUMMARY.put("outbox relay (" + which + ")", String.format("%,.0f events/s = %.2f × Kafka's producer limit", relayRate,
                relayRate / LiveBenchmarks.producerLimit()));
        LiveBenchmarks.SUMMARY.put(String.format("fan-out of %,d task.assigned.v1 (%s)", created, which), String.format("%.1f s after DONE (%,.0f events/s)",
                fanOut - done, created / Math.max(0.001, fanOut - done)));
    }

    /**
     * The service restarted while the rest of the stack idles: seconds from the process start until it is ready, and its
     * resident memory once it has stopped growing (idle).
     */
    /**
     * Waits until the machine is quiet — at least 80 % of its CPU idle over a second (/proc/stat), e.g. PostgreSQL's
     * autovacuum after a 50,000-task dispatch done — for at most 120 s; answers the seconds waited. A start measured
     * on a busy machine is the other programs' figure, not the service's.
     */
    static double quiet() throws Exception {
        long t0 = System.nanoTime();
        long[] before = cpu();
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120)) {
            org.awaitility.Awaitility.await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            long[] now = cpu();
            long total = now[0] - before[0];
            long idle = now[1] - before[1];
            before = now;
            if (total > 0 && idle >= 0.8 * total) {
                break;
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * CPU seconds used: by one process (its utime + stime in /proc, children not included) and by the whole machine (all
     * cores' busy time in /proc/stat). Per close, what a change costs: the rate of this shared machine moves by a fifth
     * from run to run; the cost moves too, less (compare runs made minutes apart).
     */
    record Cpu(double service, double machine) {
        static Cpu now(long pid) throws java.io.IOException {
            long[] machine = cpu();
            return new Cpu(cpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))), (machine[0] - machine[1]) / 100.0);
        }

        Cpu since(Cpu before) {
            return new Cpu(service - before.service, machine - before.machine);
        }
    }

    static final String THIS_JVM = "this JVM (Kafka, SMTP, harness)";

    /** The name in a process's or thread's /proc stat line. */
    static String statName(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** CPU seconds in a process's or thread's /proc stat line: utime + stime (fields 14 and 15), at 100 ticks a second. */
    static double cpuSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /**
     * Transactions committed or rolled back in the database so far (pg_stat_database; a statement in autocommit is
     * one): the closes' own, the relay's, the dashboard fold's, this harness's few.
     */
    static long transactions(String jdbc) {
        return count(jdbc, "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()");
    }

    /**
     * CPU seconds so far of the stack's processes, by what they are: PostgreSQL (every postgres process), each service,
     * Keycloak, and this JVM with its load threads (the embedded Kafka broker and SMTP server, the harness).
     * A process that ended meanwhile is not counted (pgbench's backends; the REST load's connections stay).
     */
    static Map<String, Double> cpuByProcess(LocalStack stack) throws java.io.IOException {
        Map<Long, String> services = new java.util.HashMap<>();
        stack.services().forEach(s -> services.put(s.pid(), s.name()));
        long self = ProcessHandle.current().pid();
        Map<String, Double> seconds = new java.util.LinkedHashMap<>();
        try (var all = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String comm = statName(stat);
                    double used = cpuSeconds(stat);
                    String what = comm.equals("postgres") ? "PostgreSQL"
                            : services.containsKey(pid) ? services.get(pid)
                            : pid == self ? THIS_JVM
                            : new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).contains("keycloak") ? "Keycloak" : null;
                    if (what != null) {
                        seconds.merge(what, used, Double::sum);
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // a process that ended meanwhile
                }
            }
        }
        return seconds;
    }

    /** Each process's CPU seconds since {@code from} (a reading of {@link #cpuByProcess}). */
    static Map<String, Double> cpuSince(LocalStack stack, Map<String, Double> from) throws java.io.IOException {
        return difference(cpuByProcess(stack), from);
    }

    /** Each process's CPU seconds between two readings of {@link #cpuByProcess}. */
    static Map<String, Double> difference(Map<String, Double> later, Map<String, Double> earlier) {
        Map<String, Double> used = new java.util.LinkedHashMap<>(later);
        used.replaceAll((k, v) -> v - earlier.getOrDefault(k, 0.0));
        return used;
    }

    /** CPU seconds by process as milliseconds per unit of work: "PostgreSQL 1.23, task-service 0.45, …". */
    static String shares(Map<String, Double> seconds, double units) {
        return String.join(", ", seconds.entrySet().stream().map(e -> String.format("%s %.2f", e.getKey(), 1000 * e.getValue() / units)).toList());
    }

    /** The CPU seconds of the named processes together. */
    static double named(Map<String, Double> seconds) {
        double sum = 0;
        for (double s : seconds.values()) {
            sum += s;
        }
        return sum;
    }

    /** The machine's CPU time so far, in ticks: {all, idle + iowait}, from the first line of /proc/stat. */
    private static long[] cpu() throws java.io.IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long all = 0;
        for (int i = 1; i < f.length; i++) {
            all += Long.parseLong(f[i]);
        }
        return new long[] {all, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    static void startAlone(ServiceProcess service, int starts) throws Exception {
        List<Double> readies = new java.util.ArrayList<>();
        for (int n = 1; n <= starts; n++) {
            service.stop();
            double waited = quiet();
            long t0 = System.nanoTime();
            service.start();
            service.awaitReady(Duration.ofMinutes(2));
            double ready = (System.nanoTime() - t0) / 1e9;
            readies.add(ready);
            System.out.printf("%s alone, start %d of %d: ready %.2f s after its start (the machine quiet first: waited %.0f s)%n", service.name(), n,
                    starts, ready, waited);
        }
        // idle: resident memory that has stopped growing (within 1 MB over 3 s), read at most 60 s after the last start's ready
        long[] last = {rssKb(service)};
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ofSeconds(3)).pollInterval(Duration.ofSeconds(3))
                .until(() -> {
                    long now = rssKb(service);
                    boolean settled = Math.abs(now - last[0]) < 1024;
                    last[0] = now;
                    return settled;
                });
        long rssKb = last[0];
        List<Double> sorted = readies.stream().sorted().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        String ready = String.format("ready %.2f s (median of %d starts; %.2f-%.2f s)", median, starts, sorted.get(0), sorted.get(sorted.size() - 1));
        System.out.printf("%s alone: %s, idle RSS %d MB%n", service.name(), ready, rssKb / 1024);
        LiveBenchmarks.SUMMARY.put(service.name() + " alone", String.format("%s, idle RSS %d MB", ready, rssKb / 1024));
    }

    static long rssKb(ServiceProcess service) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + service.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return 0;
    }

    /** This ISO week, e.g. 2026-W49. */
    static String isoWeek() {
        java.time.LocalDate d = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        return String.format("%d-W%02d", d.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR), d.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    /** Records of task-events notification-service's consumer group has yet to consume. */
    static long lag(LocalStack stack) {
        Map<String, Object> props = Map.of("bootstrap.servers", stack.kafka().bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            var committed = admin.listConsumerGroupOffsets("notification-service").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            committed.keySet().stream().filter(tp -> tp.topic().equals("task-events"))
                    .forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            long lag = 0;
            for (var e : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                var at = committed.get(e.getKey());
                lag += e.getValue().offset() - (at == null ? 0 : at.offset());
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many task-events records notification-service's consumer group has committed, over all partitions. */
    static long consumed(LocalStack stack) {
        Map<String, Object> props = Map.of("bootstrap.servers", stack.kafka().bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            return admin.listConsumerGroupOffsets("notification-service").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .entrySet().stream().filter(e -> e.getKey().topic().equals("task-events") && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String get(HttpClient http, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static String text(String jdbc, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The SQL of one close as the service writes it, against the given task, journal and outbox tables. */
    static String closeSql(String task, String journal, String outbox, String actor, String payload) {
        return String.join("\n",
                "\\set n random(1, " + 10_000 + ")",
                "BEGIN;",
                "UPDATE " + task + " SET status = CASE WHEN status = 'ACCEPTED' THEN 'IN_PROGRESS' ELSE 'ACCEPTED' END, version = version + 1, "
                        + "change_seq = nextval('task_change_seq'), change_xid = pg_current_xact_id()::text::bigint, updated_at = now() "
                        + "WHERE id = (SELECT id FROM bench_pick WHERE n = :n);",
                "INSERT INTO " + journal + " (task_id, at, actor_id, action, client, old_values, new_values, note) "
                        + "SELECT id, now(), '" + actor + "', 'start', 'bench', '{\"status\":\"ACCEPTED\"}', '{\"status\":\"IN_PROGRESS\"}', null "
                        + "FROM bench_pick WHERE n = :n;",
                "INSERT INTO " + outbox + " (event_id, topic, record_key, type, payload, trace_parent) "
                        + "SELECT gen_random_uuid(), 'task-events', id::text, 'task.started.v1', '" + payload.replace("'", "''") + "', "
                        + "'00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' FROM bench_pick WHERE n = :n;",
                "END;", "");
    }

    static double pgbench(String pgbench, LocalStack stack, Path script, String sql, int connections, int seconds) throws Exception {
        Files.writeString(script, sql, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(pgbench, "-n", "-h", "127.0.0.1", "-p", Integer.toString(stack.postgres().port()), "-U", "postgres",
                "-c", Integer.toString(connections), "-j", "2", "-T", Integer.toString(seconds), "-f", script.toString(), "task")
                .redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "postgres");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + out);
        }
        Matcher m = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no tps in pgbench's answer:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * REST closes in rounds of 10 s, as a server that has run a while: {@code rounds} of them, fewer if the JIT compilers
     * fall idle (under 0.03 cores two rounds in a row). Each round is printed with the compilers' share. On 2 cores the C2
     * compiler gets a small share of the CPU beside 16 busy request threads and needs minutes to work through
     * Hibernate's, RESTEasy's and Vert.x's hot methods; the service's rate rises in steps meanwhile (here ~110 closes/s
     * in round 3, ~200 in round 10, ~350 in round 23): an early figure would be of a service still compiling.
     */
    static void warmUp(ServiceProcess service, String base, java.util.function.Supplier<String> token, List<String> ids, int connections,
                       int rounds) throws Exception {
        int used = 0;
        int idle = 0;
        for (int round = 1; round <= rounds && used < ids.size(); round++) {
            double jitBefore = jitSeconds(service.pid());
            String roundToken = token.get(); // a token per round: it must not expire mid-run
            Cpu from = Cpu.now(service.pid());
            Load load = rest(base, roundToken, ids.subList(used, ids.size()), connections, 10);
            Cpu cpu = Cpu.now(service.pid()).since(from);
            double jit = (jitSeconds(service.pid()) - jitBefore) / 10;
            used += load.micros().size() + load.errors(); // every request made took the next task
            System.out.printf("  warm-up round %d: %,.0f closes/s, p99 %.0f ms, %d errors, JIT compilers %.2f cores, CPU per close %.2f ms "
                    + "(task-service %.2f)%n", round, load.perSecond(), load.p(99), load.errors(), jit,
                    1000 * cpu.machine() / Math.max(1, load.micros().size()), 1000 * cpu.service() / Math.max(1, load.micros().size()));
            idle = jit < 0.03 ? idle + 1 : 0;
            if (idle == 2) {
                return;
            }
        }
    }

    /**
     * CPU seconds the JVM's JIT compiler threads have used (their utime + stime in /proc, at 100 ticks a second). Not
     * the JVM's own compile-time counter: that counts the compilers' wall time, waiting for a core included, and read a
     * full core on 2 busy cores while the C2 thread used 0.3.
     */
    static double jitSeconds(long pid) {
        return threadSeconds(pid).entrySet().stream().filter(e -> e.getKey().startsWith("C# Compiler")) // C1 and C2, digits taken out
                .map(Map.Entry::getValue).reduce(0.0, Double::sum);
    }

    /**
     * CPU seconds a process's threads have used, by name with the digits taken out (the request threads
     * "executor-thread-#" together), from /proc at 100 ticks a second; empty when the process is gone.
     */
    static Map<String, Double> threadSeconds(long pid) {
        Map<String, Double> seconds = new java.util.TreeMap<>();
        try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) threads::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    seconds.merge(statName(stat).replaceAll("[0-9]+", "#"), cpuSeconds(stat), Double::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return Map.of();
        }
        return seconds;
    }

    /** The threads that used at least 0.1 s between two readings of {@link #threadSeconds}, busiest first: "C# CompilerThre 5.33 s, …". */
    static String busiestThreads(Map<String, Double> later, Map<String, Double> earlier) {
        return String.join(", ", difference(later, earlier).entrySet().stream().filter(e -> e.getValue() >= 0.1)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).map(e -> String.format("%s %.2f s", e.getKey(), e.getValue())).toList());
    }

    /** A load's rate, its answers' latencies (µs, sorted), its errors and the CPU seconds its own threads used. */
    record Load(double perSecond, List<Long> micros, int errors, double cpuSeconds) {
        /** A load whose threads' CPU was not measured. */
        Load(double perSecond, List<Long> micros, int errors) {
            this(perSecond, micros, errors, Double.NaN);
        }

        double p(int percentile) {
            return micros.isEmpty() ? 0 : micros.get(Math.min(micros.size() - 1, micros.size() * percentile / 100)) / 1000.0;
        }
    }

    /**
     * Closes each task once through REST from {@code connections} threads, for at most {@code seconds}: the rate and the
     * latencies are of the 200 answers; anything else is an error (the first three printed).
     */
    static Load rest(String base, String token, List<String> ids, int connections, int seconds) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong loadCpu = new java.util.concurrent.atomic.AtomicLong();
        String headers = "Authorization: Bearer " + token + "\r\nIf-Match: *\r\n";
        String prefix = URI.create(base).getPath().replaceAll("/$", "");
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                all.add(pool.submit(() -> {
                    long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    try (RawHttp http = new RawHttp(base)) { // one keep-alive connection per load thread, as pgbench's clients
                        int i;
                        while (System.nanoTime() < end && (i = next.getAndIncrement()) < ids.size()) {
                            long t0 = System.nanoTime();
                            try {
                                RawHttp.Answer r = http.send("POST", prefix + "/api/v1/tasks/" + ids.get(i) + "/start", headers, new byte[0]);
                                if (r.status() == 200) {
                                    micros.add((System.nanoTime() - t0) / 1000);
                                } else if (errors.getAndIncrement() < 3) {
                                    System.out.println("  close answered " + r.status() + ": " + r.body());
                                }
                            } catch (java.io.IOException e) {
                                if (errors.getAndIncrement() < 3) {
                                    System.out.println("  close failed: " + e);
                                }
                            }
                        }
                    }
                    loadCpu.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(seconds + 60L, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return new Load(sorted.size() / elapsed, sorted, errors.get(), loadCpu.get() / 1e9);
    }

    /** Seconds from {@code since} until {@code count} answers 0 (at most 60 s; -1 if it never did). */
    static double drained(LongSupplier count, long since) {
        return drained(count, since, 60);
    }

    static double drained(LongSupplier count, long since, int atMostSeconds) {
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(atMostSeconds)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(atMostSeconds > 60 ? 250 : 20)).until(() -> count.getAsLong() == 0);
            return (System.nanoTime() - since) / 1e9;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return -1;
        }
    }

    /** {@code n} accepted tasks of the cadre, in the cadre's group, spread over the district's villages. */
    static void seed(String jdbc, String cadre, int n) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("create temporary table v_pick as select row_number() over (order by id) as n, id, town_id from village");
            long villages = count(s, "select count(*) from v_pick");
            s.execute("insert into task (id, title, group_id, assignee_id, due_date, status, version, created_at, created_by, star, town_id, "
                    + "village_id, week, returned_count, updated_at) "
                    + "select gen_random_uuid(), '压测任务 ' || i, p.group_id, p.id, current_date + 7, 'ACCEPTED', 0, now(), p.id, 'ST', v.town_id, v.id, "
                    + "to_char(current_date, 'IYYY-\"W\"IW'), 0, now() from generate_series(1, " + n + ") i "
                    + "join v_pick v on v.n = 1 + (i % " + villages + ") cross join person p where p.id = '" + cadre + "'");
            s.execute("select dashboard_fold()");
            s.execute("vacuum analyze");
        }
    }

    static List<String> ids(String jdbc, int n) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from task where title like '压测任务 %' and status = 'ACCEPTED' order by id limit " + n)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        Collections.shuffle(out);
        return out;
    }

    /** The tasks pgbench closes, numbered 1..n. */
    static void pick(String jdbc, List<String> ids) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_pick");
            s.execute("create table bench_pick (n int primary key, id uuid not null)");
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < ids.size(); i++) {
                values.append(i == 0 ? "" : ",").append("(").append(i + 1).append(",'").append(ids.get(i)).append("')");
            }
            s.execute("insert into bench_pick values " + values);
        }
    }

    /** Copies of the task, journal and outbox tables with the same indexes and no triggers (and no foreign keys). */
    static void copies(String jdbc) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_task, bench_journal, bench_outbox");
            s.execute("create table bench_task (like task including all)");
            s.execute("insert into bench_task select * from task");
            s.execute("create table bench_journal (like task_journal including all)");
            s.execute("insert into bench_journal select * from task_journal");
            s.execute("create table bench_outbox (like outbox_event including all)");
            s.execute("vacuum analyze bench_task, bench_journal, bench_outbox, bench_pick");
        }
    }

    static String lastPayload(String jdbc) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select payload from outbox_event where type like '%started%' order by seq desc limit 1")) {
            return rs.next() ? rs.getString(1) : "{}";
        }
    }

    static long count(String jdbc, String sql) {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
            return count(s, sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
