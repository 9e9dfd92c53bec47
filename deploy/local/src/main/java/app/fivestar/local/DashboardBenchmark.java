package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard at province scale: starts PostgreSQL, Kafka and task-service the way the local stack does,
 * generates a province (2,500 towns, 46,000 villages) and N tasks (default 6,000,000: about 130 per village)
 * straight in SQL, then times every dashboard call over HTTP and prints p50 / p95 / p99 in milliseconds.
 *
 * <pre>java -cp deploy/local/target/local-stack-1.0.0-SNAPSHOT.jar app.fivestar.local.DashboardBenchmark [--tasks N] [--calls N] [--data DIR]</pre>
 * With {@code --data DIR} the stack keeps its data there, and a province generated once is measured again on later runs.
 * A measurement, not a test: nothing here asserts a time.
 */
public final class DashboardBenchmark {

    private DashboardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long tasks = 6_000_000;
        int calls = 30;
        Path root = Path.of("").toAbsolutePath();
        Path data = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tasks" -> tasks = Long.parseLong(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
                case "--data" -> data = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("usage: [--tasks N] [--calls N] [--root DIR] [--data DIR]");
            }
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("task-service", FreePorts.pick());
        // The overdue watch stays off: its first pass over a freshly generated province announces every overdue task
        // (about a million events), a backlog to catch up with, not the steady state measured here.
        LocalStack.Options options = new LocalStack.Options(root, data != null ? data : Files.createTempDirectory("fivestar-bench"), FreePorts.pick(),
                FreePorts.pick(), FreePorts.pick(), ports).withSettings(Map.of("FIVESTAR_OVERDUE_EVERY", "off"));
        try (LocalStack stack = LocalStack.start(options, System.out)) {
            long started = System.nanoTime();
            if (generated(stack.postgres().jdbcUrl("task")) == 0) {
                generate(stack.postgres().jdbcUrl("task"), tasks);
                System.out.printf("generated %,d tasks in %d s%n", tasks, Duration.ofNanos(System.nanoTime() - started).toSeconds());
            } else {
                System.out.printf("measuring the province generated before: %,d tasks%n", generated(stack.postgres().jdbcUrl("task")));
            }
            String base = stack.service("task-service").url();
            HttpClient http = HttpClient.newHttpClient();
            String token = stack.token("leader");
            System.out.printf("%-52s %8s %8s %8s%n", "call", "p50 ms", "p95 ms", "p99 ms");
            List<String> paths = new ArrayList<>(List.of("/api/v1/dashboard/summary", "/api/v1/dashboard/summary?week=2026-W40",
                    "/api/v1/dashboard/overdue?by=group", "/api/v1/dashboard/overdue?by=town", "/api/v1/dashboard/overdue?by=village",
                    "/api/v1/dashboard/overdue?by=village&sort=age", "/api/v1/dashboard/overdue?by=star&sort=age", "/api/v1/dashboard/lights?by=group", "/api/v1/dashboard/lights?by=town",
                    "/api/v1/dashboard/oldest-overdue?limit=20", "/api/v1/dashboard/trend?weeks=12"));
            paths.addAll(drillDowns(stack.postgres().jdbcUrl("task"), http, base, token));
            for (String path : paths) {
                List<Long> micros = new ArrayList<>();
                for (int i = 0; i < calls + 10; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long t = (System.nanoTime() - t0) / 1000;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
                    }
                    if (i >= 10) {
                        micros.add(t);
                    }
                }
                Collections.sort(micros);
                System.out.printf("%-52s %8.1f %8.1f %8.1f%n", path.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "…").replaceAll("cursor=[A-Za-z0-9_-]+", "cursor=<deep>"),
                        p(micros, 50), p(micros, 95), p(micros, 99));
            }
            List<Long> writes = timeWrites(stack.postgres().jdbcUrl("task"), calls);
            System.out.printf("%-52s %8.1f %8.1f %8.1f%n", "one task accepted (SQL, read model kept)", p(writes, 50), p(writes, 95), p(writes, 99));
        }
    }

    /** A province straight in SQL: towns, villages, then tasks spread over 26 weeks, the five stars and the groups. */
    static void generate(String jdbcUrl, long tasks) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("insert into town (id, code, name, kind) select gen_random_uuid(), 'P' || lpad(n::text, 5, '0'), '示例镇' || n, 'TOWN' "
                    + "from generate_series(1, 2500) n");
            s.execute("insert into village (id, code, name, town_id, kind) select gen_random_uuid(), t.code || '-' || lpad(v::text, 3, '0'), "
                    + "'示例村' || v, t.id, 'VILLAGE' from town t cross join generate_series(1, 18) v where t.code like 'P%' "
                    + "union all select gen_random_uuid(), t.code || '-' || lpad(v::text, 3, '0'), '示例村' || v, t.id, 'VILLAGE' "
                    + "from (select * from town where code like 'P%' order by code limit 1000) t cross join generate_series(19, 19) v");
            s.execute("create temporary table v_pick as select row_number() over (order by id) as n, id, town_id from village");
            s.execute("create temporary table g_pick as select row_number() over (order by code) as n, id, coalesce(star, 'GEN') as star "
                    + "from working_group where kind = 'GROUP'");
            long villages = count(s, "select count(*) from v_pick");
            long groups = count(s, "select count(*) from g_pick");
            long batch = 1_000_000;
            for (long from = 1; from <= tasks; from += batch) {
                long to = Math.min(tasks, from + batch - 1);
                s.execute("insert into task (id, title, group_id, assignee_id, due_date, status, version, created_at, created_by, code, star, town_id, "
                        + "village_id, week, returned_count, submitted_at, updated_at, change_seq) "
                        + "select gen_random_uuid(), '示例任务 ' || i, g.id, null, d.due, "
                        + "case when i % 20 = 0 then 'CANCELLED' when i % 10 < 7 then 'VERIFIED' when i % 10 = 7 then 'SUBMITTED' "
                        + "when i % 10 = 8 then 'IN_PROGRESS' else 'ASSIGNED' end, 0, d.due - 7, '00000000-0000-4000-8000-000000000101', null, g.star, "
                        + "v.town_id, v.id, to_char(d.due, 'IYYY-\"W\"IW'), (i % 13 = 0)::int, "
                        + "case when i % 10 < 8 then d.due - (i % 3) + 1 else null end, d.due - 7, nextval('task_change_seq') "
                        + "from generate_series(" + from + ", " + to + ") i "
                        + "join v_pick v on v.n = 1 + (i % " + villages + ") "
                        + "join g_pick g on g.n = 1 + (i % " + groups + ") "
                        + "cross join lateral (select (current_date - 150 + (i % 180))::date as due) d");
                s.execute("select dashboard_fold()"); // the appended changes into the counters, as the service's fold worker would
                System.out.printf("  %,d / %,d tasks%n", to, tasks);
            }
            s.execute("vacuum analyze"); // as autovacuum would after a load; measuring while it runs measures autovacuum
            System.out.printf("  read model: %,d counter rows%n", count(s, "select count(*) from dashboard_tally"));
        }
    }

    /** The task lists a leader reaches from the dashboard (a bucket's overdue tasks), and the first pages of the office's list. */
    static List<String> drillDowns(String jdbcUrl, HttpClient http, String base, String token) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres"); Statement s = c.createStatement()) {
            String group = text(s, "select id from working_group where kind = 'GROUP' order by code limit 1");
            String town = text(s, "select id from town where code like 'P%' order by code limit 1");
            String village = text(s, "select id from village where town_id = '" + town + "' order by code limit 1");
            // a cursor the service hands out deep in the newest-first list: after the newest task of a week months ago
            String middle = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks?week=2026-W30&limit=1"))
                            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString())
                    .body().replaceAll(".*\"nextCursor\":\"([^\"]+)\".*", "$1");
            return List.of("/api/v1/tasks?limit=50", "/api/v1/tasks?limit=50&cursor=" + middle, "/api/v1/tasks?status=ASSIGNED&limit=50",
                    "/api/v1/tasks?week=2026-W40&limit=50", "/api/v1/tasks?groupId=" + group + "&status=VERIFIED&limit=50",
                    "/api/v1/tasks?sort=due&limit=50", "/api/v1/tasks?sort=due&week=2026-W40&limit=50",
                    "/api/v1/tasks?overdue=true&sort=due&limit=50", "/api/v1/tasks?overdue=true&sort=due&groupId=" + group + "&limit=50",
                    "/api/v1/tasks?overdue=true&sort=due&star=ST&limit=50", "/api/v1/tasks?overdue=true&sort=due&townId=" + town + "&limit=50",
                    "/api/v1/tasks?overdue=true&sort=due&villageId=" + village + "&limit=50",
                    "/api/v1/tasks?overdue=true&limit=50", "/api/v1/tasks?overdue=true&groupId=" + group + "&limit=50");
        }
    }

    static String text(Statement s, String sql) throws Exception {
        try (var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** What the read model costs a write: single-task status changes, each its own transaction, as the service makes them. */
    static List<Long> timeWrites(String jdbcUrl, int calls) throws Exception {
        List<Long> micros = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
            List<Object> ids = new ArrayList<>();
            try (Statement s = c.createStatement(); var rs = s.executeQuery("select id from task tablesample system (0.1) where status = 'ASSIGNED' limit " + calls)) {
                while (rs.next()) {
                    ids.add(rs.getObject(1));
                }
            }
            c.setAutoCommit(false);
            try (var update = c.prepareStatement("update task set status = 'ACCEPTED', version = version + 1, updated_at = now() where id = ?")) {
                for (Object id : ids) {
                    long t0 = System.nanoTime();
                    update.setObject(1, id);
                    update.executeUpdate();
                    c.commit();
                    micros.add((System.nanoTime() - t0) / 1000);
                }
            }
        }
        Collections.sort(micros);
        return micros;
    }

    /** Tasks of a province generated before (none in a fresh database). */
    static long generated(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres"); Statement s = c.createStatement()) {
            return count(s, "select count(*) from town where code like 'P%'") == 0 ? 0 : count(s, "select count(*) from task");
        }
    }

    static long count(Statement s, String sql) throws Exception {
        try (var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static double p(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1000.0;
    }

}
