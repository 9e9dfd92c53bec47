package app.fivestar.local;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The parts of {@link WriteBenchmark} that measure what people wait for while the writes go on: Kafka's own tools
 * against the stack's broker (its limit, beside the relay), a close until the office's open inbox stream shows it,
 * and the dashboard's answers at millions of tasks while closes are written at a fixed rate.
 */
final class LiveBenchmarks {

    private LiveBenchmarks() {
    }

    /** The e-mails due and not yet sent (those held for their recipients' quiet hours are not due), in notification-service's database. */
    private static final String EMAILS_DUE = "select count(*) from delivery where channel = 'EMAIL' and status = 'PENDING' and (attempts > 0 or next_attempt_at <= now())";

    /** What a part found, printed again together at the end of the run. */
    static final Map<String, String> SUMMARY = new LinkedHashMap<>();

    // ---------------------------------------------------------------- Kafka's own tools

    /**
     * {@code kafka-producer-perf-test} (ProducerPerformance) and {@code kafka-e2e-latency} (EndToEndLatency) of the broker's
     * own version, each in a JVM of its own, with records the size of a task event: the broker's limit on this machine.
     */
    static void kafkaTools(LocalStack stack, int recordSize) throws Exception {
        String bootstrap = stack.kafka().bootstrapServers();
        String perf = tool(List.of("org.apache.kafka.tools.ProducerPerformance", "--topic", "bench-producer-perf", "--num-records", "200000",
                "--record-size", Integer.toString(recordSize), "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all"));
        Matcher p = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), ([0-9.]+) ms avg latency, ([0-9.]+) ms max latency, "
                + "(\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th").matcher(perf);
        if (!p.find()) {
            throw new IllegalStateException("no summary in ProducerPerformance's answer:\n" + perf);
        }
        String e2e = tool(List.of("org.apache.kafka.tools.EndToEndLatency", bootstrap, "bench-e2e-latency", "2000", "all", Integer.toString(recordSize)));
        Matcher avg = Pattern.compile("Avg latency: ([0-9.]+) ms").matcher(e2e);
        Matcher pct = Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)").matcher(e2e);
        if (!avg.find() || !pct.find()) {
            throw new IllegalStateException("no latency in EndToEndLatency's answer:\n" + e2e);
        }
        double records = Double.parseDouble(p.group(2));
        SUMMARY.put("kafka producer limit", String.format("%,.0f records/s", records));
        System.out.printf("%nKafka's own tools against the stack's broker, %d-byte records (a task event's size):%n", recordSize);
        System.out.printf("  ProducerPerformance, acks=all: %,.0f records/s (%s MB/s), latency avg %s ms, p50 %s ms, p95 %s ms, p99 %s ms%n",
                records, p.group(3), p.group(4), p.group(6), p.group(7), p.group(8));
        System.out.printf("  EndToEndLatency, acks=all, produce → consume one at a time: avg %s ms, p50 %s ms, p99 %s ms, p99.9 %s ms%n",
                avg.group(1), pct.group(1), pct.group(2), pct.group(3));
        SUMMARY.put("kafka end-to-end", "p50 " + pct.group(1) + " ms, p99 " + pct.group(2) + " ms");
    }

    static double producerLimit() {
        String v = SUMMARY.get("kafka producer limit");
        return v == null ? Double.NaN : Double.parseDouble(v.replaceAll("[^0-9]", ""));
    }

    /** Runs a Kafka tool's main class in a JVM of its own (the benchmark's class path carries kafka-tools); its output. */
    private static String tool(List<String> mainAndArgs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(mainAndArgs.get(0) + " failed:\n" + out);
        }
        return out;
    }

    // ---------------------------------------------------------------- close → inbox pushed

    /**
     * The office's inbox stream is open at notification-service; cadres submit ("办结") tasks at {@code rate} per second,
     * each request started on its schedule whatever the others do (no coordinated omission). For each close: the time
     * from sending it until the office's stream delivered the message it made (task.submitted.v1 → routed → stored →
     * pushed on commit). First warm-up rounds of 10 s at the same rate, each printed, until the JIT compilers of both
     * task-service and notification-service have been idle (under 0.03 cores) for two rounds in a row, at most
     * {@code warmupRounds}: on 2 cores C2 still compiled the submit's path a minute after it began (0.7 of a core in
     * task-service after 30 s of submits), so a measurement right after it measured the compiler. Then the e-mails the
     * warm-up queued are sent (at most 5 minutes), and {@code seconds} of submits are measured.
     */
    static void closeToInboxPush(LocalStack stack, String jdbc, int rate, int seconds, int warmupRounds) throws Exception {
        int perRound = rate * 10;
        int n = rate * seconds + perRound * warmupRounds;
        String cadre = stack.personId("st-cadre");
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("create temporary table v_push as select row_number() over (order by id) as n, id, town_id from village");
            long villages = WriteBenchmark.count(s, "select count(*) from v_push");
            s.execute("insert into task (id, title, group_id, assignee_id, due_date, status, version, created_at, created_by, star, town_id, "
                    + "village_id, week, returned_count, updated_at) "
                    + "select gen_random_uuid(), '压测推送 ' || i, p.group_id, p.id, current_date + 7, 'IN_PROGRESS', 0, now(), p.id, 'ST', v.town_id, v.id, "
                    + "to_char(current_date, 'IYYY-\"W\"IW'), 0, now() from generate_series(1, " + n + ") i "
                    + "join v_push v on v.n = 1 + (i % " + villages + ") cross join person p where p.id = '" + cadre + "'");
        }
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from task where title like '压测推送 %' and status = 'IN_PROGRESS' order by id limit " + n)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        int awake = noQuietHours(stack, jdbc, http);
        System.out.printf("%nthe office's %d people set to no quiet hours (their own 设置 page, PUT /api/v1/preferences): their e-mails are "
                + "sent at any hour of the run, as by day%n", awake);
        String notificationJdbc = stack.postgres().jdbcUrl("notification");
        try (Submits submits = new Submits(stack, http)) {
            ServiceProcess task = stack.service("task-service");
            ServiceProcess notification = stack.service("notification-service");
            int used = 0;
            int idle = 0;
            for (int round = 1; round <= warmupRounds && idle < 2; round++) {
                double taskJit = WriteBenchmark.jitSeconds(task.pid());
                double notificationJit = WriteBenchmark.jitSeconds(notification.pid());
                long t0 = System.nanoTime();
                Submits.Round r = submits.round(ids.subList(used, used + perRound), rate, stack.token("st-cadre"));
                used += perRound;
                double s = (System.nanoTime() - t0) / 1e9;
                taskJit = (WriteBenchmark.jitSeconds(task.pid()) - taskJit) / s;
                notificationJit = (WriteBenchmark.jitSeconds(notification.pid()) - notificationJit) / s;
                System.out.printf("  push warm-up round %d: %,.0f submits/s reached, pushed p50 %.0f ms, p99 %.0f ms, %d missing, %d errors; "
                        + "JIT compilers: task-service %.2f cores, notification-service %.2f%n", round, r.reached(), r.pushes().p(50),
                        r.pushes().p(99), r.missing(), r.errors(), taskJit, notificationJit);
                idle = Math.max(taskJit, notificationJit) < 0.03 ? idle + 1 : 0;
            }
            long t0 = System.nanoTime();
            long queued = WriteBenchmark.count(notificationJdbc, EMAILS_DUE);
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                        .until(() -> WriteBenchmark.count(notificationJdbc, EMAILS_DUE) == 0);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // printed below
            }
            System.out.printf("  the warm-up's e-mails: %,d due when it ended, %,d still due %.0f s later%n", queued,
                    WriteBenchmark.count(notificationJdbc, EMAILS_DUE), (System.nanoTime() - t0) / 1e9);

            // the measured submits; the stages and the CPU count only them
            java.time.Instant measuredFrom = java.time.Instant.now();
            WriteBenchmark.Cpu machineFrom = WriteBenchmark.Cpu.now(ProcessHandle.current().pid());
            Map<String, Double> byProcessFrom = WriteBenchmark.cpuByProcess(stack);
            Submits.Sent sent = submits.send(ids.subList(used, used + rate * seconds), rate, stack.token("st-cadre"));
            WriteBenchmark.Cpu machineCpu = WriteBenchmark.Cpu.now(ProcessHandle.current().pid()).since(machineFrom);
            Map<String, Double> byProcess = WriteBenchmark.cpuSince(stack, byProcessFrom);
            Submits.Round r = submits.pushes(sent);
            System.out.printf("%nclose → the office's open inbox stream: %,d submits at %d/s (%.0f/s reached), %d errors; pushed: p50 %.1f ms, p95 %.1f ms, "
                    + "p99 %.1f ms, max %.1f ms; %d never arrived within 30 s (the submit's own answer: p50 %.1f ms, p99 %.1f ms)%n", r.submits(), rate,
                    r.reached(), r.errors(), r.pushes().p(50), r.pushes().p(95), r.pushes().p(99), r.pushes().p(100), r.missing(), r.answers().p(50),
                    r.answers().p(99));
            // where the time went, stage by stage, from the databases' own clocks
            String window = "'" + measuredFrom + "'";
            System.out.printf("  stages (p50 / p99 ms): outbox row → published to Kafka %s; event → message stored by notification-service %s%n",
                    percentiles(jdbc, "select extract(epoch from published_at - created_at) * 1000 from outbox_event where type = 'task.submitted.v1' "
                            + "and created_at > " + window),
                    percentiles(notificationJdbc, "select extract(epoch from created_at - event_time) * 1000 from notification "
                            + "where kind = 'TASK_SUBMITTED' and created_at > " + window));
            System.out.printf("  CPU while the measured submits were sent: the machine busy %.2f of %d cores; per submit %.2f ms, of it %s%n",
                    machineCpu.machine() / sent.seconds(), Runtime.getRuntime().availableProcessors(), 1000 * machineCpu.machine() / r.submits(),
                    WriteBenchmark.shares(byProcess, r.submits()));
            SUMMARY.put("close → inbox pushed at " + rate + "/s", String.format("p50 %.0f ms, p99 %.0f ms, %d missing", r.pushes().p(50),
                    r.pushes().p(99), r.missing()));
        }
        mailDrain(stack, notificationJdbc);
    }

    /**
     * Cadres' submits at a fixed rate, on keep-alive connections as cheap as pgbench's (a connection per sender thread,
     * see {@link RawHttp}), and the office's inbox stream at notification-service, open while this is: when each
     * submit's message arrived on it.
     */
    private static final class Submits implements AutoCloseable {

        private static final Pattern TASK = Pattern.compile("/tasks/([0-9a-f-]{36})");
        private static final byte[] BODY = "{\"note\":\"压测办结\"}".getBytes(StandardCharsets.UTF_8);

        private final String base;
        private final Map<String, Long> pushed = new ConcurrentHashMap<>();
        private final java.util.concurrent.CompletableFuture<Void> stream;
        private final ExecutorService senders = Executors.newFixedThreadPool(64);
        private final List<RawHttp> connections = Collections.synchronizedList(new ArrayList<>());
        private final ThreadLocal<RawHttp> connection;

        Submits(LocalStack stack, HttpClient http) {
            base = stack.service("task-service").url();
            connection = ThreadLocal.withInitial(() -> {
                RawHttp c = new RawHttp(base);
                connections.add(c);
                return c;
            });
            AtomicInteger opened = new AtomicInteger();
            HttpRequest request = HttpRequest.newBuilder(URI.create(stack.service("notification-service").url() + "/api/v1/inbox/stream"))
                    .header("Authorization", "Bearer " + stack.token("office")).header("Accept", "text/event-stream").build();
            stream = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
                opened.set(response.statusCode());
                try (Stream<String> lines = response.body()) {
                    lines.forEach(line -> {
                        if (line.startsWith("data:")) {
                            long at = System.nanoTime();
                            Matcher m = TASK.matcher(line);
                            if (m.find()) {
                                pushed.putIfAbsent(m.group(1), at);
                            }
                        }
                    });
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> opened.get() != 0);
            if (opened.get() != 200) {
                throw new IllegalStateException("the office's inbox stream answered " + opened.get());
            }
        }

        /** Submits sent: when each was sent (nanoTime by task id), how long each took to answer (µs), errors, seconds until the last answer. */
        record Sent(Map<String, Long> at, List<Long> answers, int errors, double seconds) {
        }

        /** A round's outcome: pushes' latencies and the answers' (µs, sorted), the rate reached, submits never pushed within 30 s. */
        record Round(int submits, double reached, WriteBenchmark.Load pushes, WriteBenchmark.Load answers, int errors, long missing) {
        }

        /** {@link #send}, then {@link #pushes}. */
        Round round(List<String> ids, int rate, String token) throws Exception {
            return pushes(send(ids, rate, token));
        }

        /** Submits each task once, one every 1/rate s, and waits for every answer. */
        Sent send(List<String> ids, int rate, String token) throws Exception {
            String headers = "Authorization: Bearer " + token + "\r\nIf-Match: *\r\nContent-Type: application/json\r\n";
            Map<String, Long> sent = new ConcurrentHashMap<>();
            List<Long> answered = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(ids.size());
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            long t0 = System.nanoTime();
            clock.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= ids.size()) {
                    return;
                }
                String id = ids.get(i);
                senders.execute(() -> {
                    long s0 = System.nanoTime();
                    sent.put(id, s0);
                    try {
                        RawHttp.Answer r = connection.get().send("POST", "/api/v1/tasks/" + id + "/submit", headers, BODY);
                        answered.add((System.nanoTime() - s0) / 1000);
                        if (r.status() != 200 && errors.getAndIncrement() < 3) {
                            System.out.println("  submit answered " + r.status() + ": " + r.body());
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
            }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
            boolean all = done.await(ids.size() / rate + 60L, TimeUnit.SECONDS);
            clock.shutdownNow();
            if (!all) {
                throw new IllegalStateException("submits still unanswered a minute after the last was due");
            }
            return new Sent(sent, new ArrayList<>(answered), errors.get(), (System.nanoTime() - t0) / 1e9);
        }

        /** Waits at most 30 s for the stream to deliver each sent submit's message. */
        Round pushes(Sent sent) {
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> stream.isDone() || pushed.keySet().containsAll(sent.at().keySet()));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // counted as missing
            }
            if (stream.isDone()) {
                throw new IllegalStateException("the office's inbox stream ended", stream.handle((v, e) -> e).join());
            }
            List<Long> micros = new ArrayList<>();
            sent.at().forEach((id, at) -> {
                Long arrived = pushed.get(id);
                if (arrived != null) {
                    micros.add((arrived - at) / 1000);
                }
            });
            Collections.sort(micros);
            List<Long> answers = new ArrayList<>(sent.answers());
            Collections.sort(answers);
            int submits = sent.at().size();
            return new Round(submits, submits / sent.seconds(), new WriteBenchmark.Load(micros.size() / sent.seconds(), micros, 0),
                    new WriteBenchmark.Load(0, answers, 0), sent.errors(), submits - micros.size());
        }

        @Override
        public void close() {
            stream.cancel(true);
            senders.shutdownNow();
            connections.forEach(RawHttp::close);
        }
    }

    /**
     * Every office person's preferences without quiet hours, through the API as each of them would (GET, then PUT with
     * its ETag): the submits' e-mails to them are then due at once at any hour, so a run at night measures the e-mails
     * a day's submits send. Answers how many people were set.
     */
    static int noQuietHours(LocalStack stack, String jdbc, HttpClient http) throws Exception {
        List<String> office = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select username from person where roles like '%OFFICE%' order by username")) {
            while (rs.next()) {
                office.add(rs.getString(1));
            }
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String url = stack.service("notification-service").url() + "/api/v1/preferences";
        for (String username : office) {
            String token = stack.token(username);
            HttpResponse<String> now = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            com.fasterxml.jackson.databind.node.ObjectNode prefs = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(now.body());
            prefs.putNull("quietStart");
            prefs.putNull("quietEnd");
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .header("If-Match", now.headers().firstValue("ETag").orElse("*")).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(prefs))).build(), HttpResponse.BodyHandlers.ofString());
            if (now.statusCode() != 200 || put.statusCode() != 200) {
                throw new IllegalStateException(username + "'s preferences: GET " + now.statusCode() + ", PUT " + put.statusCode() + " " + put.body());
            }
        }
        return office.size();
    }

    /**
     * The e-mails the submits queued (the office's people are e-mailed each submission by default): how many were
     * still waiting when the submits ended, and how fast the delivery worker sent them to the stack's SMTP server over
     * the next minute at most. E-mails held for their recipients' quiet hours (22:00–07:00 in Asia/Shanghai unless
     * they chose otherwise) are not due yet: they are counted apart and not measured ({@link #noQuietHours} leaves none
     * for the office; another part's e-mails may be).
     */
    static void mailDrain(LocalStack stack, String jdbc) throws Exception {
        String held = "from delivery where channel = 'EMAIL' and status = 'PENDING' and attempts = 0 and next_attempt_at > now()";
        long before = WriteBenchmark.count(jdbc, EMAILS_DUE);
        long quiet = WriteBenchmark.count(jdbc, "select count(*) " + held);
        String heldNote = "";
        if (quiet > 0) {
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select to_char(max(next_attempt_at) at time zone 'Asia/Shanghai', 'HH24:MI') " + held)) {
                rs.next();
                heldNote = String.format("; %,d more held for the recipients' quiet hours until %s Asia/Shanghai, not measured", quiet, rs.getString(1));
            }
        }
        long t0 = System.nanoTime();
        // what the drain costs, each process's share per e-mail sent (the submits have ended: little else runs)
        WriteBenchmark.Cpu cpuFrom = WriteBenchmark.Cpu.now(ProcessHandle.current().pid());
        Map<String, Double> byProcessFrom = WriteBenchmark.cpuByProcess(stack);
        java.util.concurrent.atomic.AtomicLong waiting = new java.util.concurrent.atomic.AtomicLong(before);
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        waiting.set(WriteBenchmark.count(jdbc, EMAILS_DUE));
                        return waiting.get() == 0;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below as still waiting
        }
        long left = waiting.get();
        double s = (System.nanoTime() - t0) / 1e9;
        WriteBenchmark.Cpu cpu = WriteBenchmark.Cpu.now(ProcessHandle.current().pid()).since(cpuFrom);
        Map<String, Double> byProcess = WriteBenchmark.cpuSince(stack, byProcessFrom);
        System.out.printf("  e-mails the submits queued: %,d due and waiting when they ended; %s (%,.0f e-mails/s)%s%n", before,
                left == 0 ? String.format("all sent %.1f s later", s) : String.format("%,d still waiting after %.0f s", left, s), (before - left) / s, heldNote);
        if (before > left) {
            System.out.printf("  CPU while they were sent: the machine busy %.2f of %d cores; per e-mail %.2f ms, of it %s%n", cpu.machine() / s,
                    Runtime.getRuntime().availableProcessors(), 1000 * cpu.machine() / (before - left), WriteBenchmark.shares(byProcess, before - left));
        }
        SUMMARY.put("e-mails after the submits", before == 0 && quiet > 0 ? String.format("not measured: %,d held for quiet hours", quiet)
                : String.format("%,.0f sent/s, %,d of %,d left after %.0f s", (before - left) / s, left, before, s));
    }

    /** p50 / p99 of the one-column query's values, as text. */
    static String percentiles(String jdbc, String values) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select percentile_cont(0.5) within group (order by v), percentile_cont(0.99) within group (order by v), "
                     + "count(*) from (" + values + ") x(v)")) {
            rs.next();
            return String.format("%.0f / %.0f (%d)", rs.getDouble(1), rs.getDouble(2), rs.getLong(3));
        }
    }

    // ---------------------------------------------------------------- dashboard under writes

    /**
     * The district at {@code total} tasks (made in SQL, spread over every village, due dates over three months so every
     * light has tasks); then, for {@code seconds}, pgbench writes closes on the real tables at {@code rate} per second
     * (each moves a task between two statuses: the dashboard's counters change with every one) while {@code readers}
     * people keep reloading the dashboard's four views. Then: how stale the counters were, and whether they equal a recount.
     */
    static void dashboardUnderWrites(LocalStack stack, String jdbc, String pgbench, Path script, String closeSql, int total, int rate, int seconds,
                                     int readers) throws Exception {
        String cadre = stack.personId("st-cadre");
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
            long have = WriteBenchmark.count(s, "select count(*) from task");
            s.execute("create temporary table v_dash as select row_number() over (order by id) as n, id, town_id from village");
            long villages = WriteBenchmark.count(s, "select count(*) from v_dash");
            for (long from = have; from < total; from += 500_000) {
                long to = Math.min(total, from + 500_000);
                s.execute("insert into task (id, title, group_id, assignee_id, due_date, status, version, created_at, created_by, star, town_id, "
                        + "village_id, week, returned_count, updated_at) "
                        + "select gen_random_uuid(), '全区任务 ' || i, p.group_id, p.id, current_date - 60 + (i % 90), "
                        + "case i % 3 when 0 then 'ACCEPTED' when 1 then 'IN_PROGRESS' else 'ASSIGNED' end, 0, now(), p.id, 'ST', v.town_id, v.id, "
                        + "to_char(current_date - 60 + (i % 90), 'IYYY-\"W\"IW'), (i % 11 = 0)::int, now() from generate_series(" + (from + 1) + ", " + to + ") i "
                        + "join v_dash v on v.n = 1 + (i % " + villages + ") cross join person p where p.id = '" + cadre + "'");
                System.out.printf("  %,d tasks in the district%n", to);
            }
            s.execute("select dashboard_fold()");
            s.execute("vacuum analyze task");
            s.execute("vacuum analyze dashboard_tally");
        }
        System.out.printf("%ndashboard at %,d tasks (made in %.0f s): %d people reloading its four views while pgbench writes %d closes/s on the real tables%n",
                total, (System.nanoTime() - t0) / 1e9, readers, rate);
        String base = stack.service("task-service").url();
        String token = stack.token("office");
        List<String> views = List.of("summary", "overdue", "trend", "lights");
        Map<String, List<Long>> micros = new ConcurrentHashMap<>();
        views.forEach(v -> micros.put(v, Collections.synchronizedList(new ArrayList<>())));
        AtomicInteger errors = new AtomicInteger();
        Files.writeString(script, closeSql, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(pgbench, "-n", "-h", "127.0.0.1", "-p", Integer.toString(stack.postgres().port()), "-U", "postgres",
                "-c", "8", "-j", "2", "-R", Integer.toString(rate), "-T", Integer.toString(seconds), "-f", script.toString(), "task").redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "postgres");
        Process writes = pb.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        List<java.util.concurrent.Future<?>> all = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            int first = r;
            all.add(pool.submit(() -> {
                int i = first;
                while (System.nanoTime() < end) {
                    String view = views.get(i++ % views.size());
                    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/dashboard/" + view)).header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(30)).build();
                    long s0 = System.nanoTime();
                    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                    micros.get(view).add((System.nanoTime() - s0) / 1000);
                    if (resp.statusCode() != 200 && errors.getAndIncrement() < 3) {
                        System.out.println("  dashboard " + view + " answered " + resp.statusCode() + ": " + resp.body());
                    }
                }
                return null;
            }));
        }
        for (var f : all) {
            f.get(seconds + 60L, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        String out = new String(writes.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!writes.waitFor(60, TimeUnit.SECONDS) || writes.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + out);
        }
        long stopped = System.nanoTime();
        Matcher tps = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(out);
        Matcher lat = Pattern.compile("latency average = ([0-9.]+) ms").matcher(out);
        double written = tps.find() ? Double.parseDouble(tps.group(1)) : Double.NaN;
        List<Long> every = new ArrayList<>();
        for (String v : views) {
            List<Long> sorted = new ArrayList<>(micros.get(v));
            Collections.sort(sorted);
            every.addAll(sorted);
            WriteBenchmark.Load l = new WriteBenchmark.Load(sorted.size() / (double) seconds, sorted, 0);
            System.out.printf("  GET /api/v1/dashboard/%-8s %,6d answers: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n", v, sorted.size(), l.p(50), l.p(95), l.p(99));
        }
        Collections.sort(every);
        WriteBenchmark.Load overall = new WriteBenchmark.Load(every.size() / (double) seconds, every, errors.get());
        long pending;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
            pending = WriteBenchmark.count(s, "select count(*) from dashboard_change");
        }
        double folded = WriteBenchmark.drained(() -> WriteBenchmark.count(jdbc, "select count(*) from dashboard_change"), stopped);
        boolean equal = countersEqualARecount(jdbc);
        System.out.printf("  all views: %,.0f answers/s, p95 %.1f ms, %d errors; closes written %.0f/s (pgbench latency avg %s ms)%n",
                overall.perSecond(), overall.p(95), errors.get(), written, lat.find() ? lat.group(1) : "?");
        System.out.printf("  when the writes stopped: %,d changes pending, folded in %.2f s (the counters' staleness); counters = a recount from scratch: %s%n",
                pending, folded, equal ? "yes" : "NO");
        SUMMARY.put("dashboard p95 at " + String.format("%,d", total) + " tasks, " + Math.round(written) + " closes/s",
                String.format("%.1f ms (%,.0f answers/s); staleness %.2f s; = recount: %s", overall.p(95), overall.perSecond(), folded, equal ? "yes" : "NO"));
    }

    /** The folded counters against a recount from scratch, in a transaction that is rolled back. */
    static boolean countersEqualARecount(String jdbc) throws Exception {
        String rows = "select dim, week, town_id, key, assigned, accepted, in_progress, submitted, verified, returned, cancelled, on_time, late, red, yellow, "
                + "oldest_open from dashboard_tally where assigned <> 0 or accepted <> 0 or in_progress <> 0 or submitted <> 0 or verified <> 0 "
                + "or returned <> 0 or cancelled <> 0 or on_time <> 0 or late <> 0 or red <> 0 or yellow <> 0 or oldest_open is not null";
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("select dashboard_fold()");
            s.execute("create temporary table kept on commit drop as " + rows);
            s.execute("select dashboard_rebuild()");
            long differ = WriteBenchmark.count(s, "select count(*) from ((select * from kept except all " + rows + ") union all (" + rows
                    + " except all select * from kept)) d");
            c.rollback();
            return differ == 0;
        }
    }
}
