package app.fivestar.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * The living demo campaign (illustrative, marked 示例): twelve weeks of a district's campaign replayed through the
 * services' own REST APIs, as the people of the demo directory, on the services' demo clock (local profile only) so
 * that every time is in the past as it would have been — dispatches every Monday, cadres accepting, closing with
 * photos, the office verifying or returning, some late, some overdue and escalated up the ladder (the overdue watch
 * catches up at every move of the clock), two regular meetings whose decisions became tasks, an observation scored
 * by two scorers, published, with statements, and a look-back that reopened a task. Every call is idempotent (the
 * services' Idempotency-Key, ids made here, or a look first), so a loader killed in the middle and run again makes
 * exactly one history. The weeks are fixed by the anchor Monday: run again with the same anchor for the same history.
 */
public final class DemoHistory {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final int WEEKS = 12;
    static final String[] STARS = {"ZB", "CY", "ST", "PA", "WM"};
    static final double LAT = 34.7466;
    static final double LON = 113.6253;
    static final Duration OFFICE_LAG = Duration.ofHours(36);

    /** Where the services answer (directly, not through the front door). */
    public record Endpoints(String task, String review) {
    }

    /** What was loaded and how long it took. */
    public record Result(int weeks, int dispatches, int tasks, int calls, Duration took) {
    }

    enum Fate { ON_TIME, RETURNED, LATE, LATE_LONG, NEVER }

    /** A step of the history: when it happened and what was done. */
    private record Step(Instant at, String name, Runnable run) {
    }

    /** A dispatched task as the loader follows it. */
    private record Tracked(String id, String groupId, String assigneeId, String villageId, Fate fate, int photos) {
        Tracked to(String assignee) {
            return new Tracked(id, groupId, assignee, villageId, fate, photos);
        }
    }

    private final Endpoints at;
    private final Function<String, String> token;
    private final LocalDate anchor;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Instant stopAt;
    private int calls;
    /** What the services' clocks show (the step being taken). */
    private Instant shown;

    private final Map<String, String> usernames = new HashMap<>();
    private final Map<String, List<String>> cadres = new HashMap<>();
    private final Map<String, JsonNode> groupsByCode = new LinkedHashMap<>();
    private final Map<String, String> leadOf = new HashMap<>();
    private final List<JsonNode> towns = new ArrayList<>();
    private final Map<String, List<JsonNode>> catalogue = new HashMap<>();
    private final Map<Integer, List<Tracked>> weeks = new TreeMap<>();
    private final Map<String, List<Tracked>> meetingTasks = new HashMap<>();
    private int dispatched;

    /**
     * @param anchor the Monday of the newest week (weeks before it are replayed in full, it only up to {@code stopAt})
     * @param stopAt steps at or after this instant are not taken (real time: the history ends now)
     */
    public DemoHistory(Endpoints at, Function<String, String> token, LocalDate anchor, Instant stopAt, PrintStream out) {
        this.at = at;
        this.token = token;
        this.anchor = anchor.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        this.stopAt = stopAt;
        this.out = out;
    }

    /** The Monday of the week {@code today} is in (campaign time). */
    public static LocalDate anchorFor(Instant now) {
        return LocalDate.ofInstant(now, ZONE).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    public Result load() {
        long started = System.nanoTime();
        readDirectory();
        List<Step> steps = new ArrayList<>();
        for (int k = WEEKS - 1; k >= 0; k--) {
            planWeek(k, steps);
        }
        planMeetings(steps);
        steps.sort(Comparator.comparing(Step::at));
        Instant clock = null;
        int done = 0;
        for (Step s : steps) {
            if (!s.at().isBefore(stopAt)) {
                continue;
            }
            if (!s.at().equals(clock)) {
                clock = s.at();
                moveClocks(clock);
                shown = clock;
            }
            s.run().run();
            if (++done % 25 == 0) {
                out.printf("  demo history: %d steps, now at %s%n", done, LocalDate.ofInstant(clock, ZONE));
            }
        }
        resetClocks();
        int tasks = weeks.values().stream().mapToInt(List::size).sum() + meetingTasks.values().stream().mapToInt(List::size).sum();
        return new Result(weeks.size(), dispatched, tasks, calls, Duration.ofNanos(System.nanoTime() - started));
    }

    // ---- the plan ----------------------------------------------------------------------------------------------

    static Instant when(LocalDate day, int hour, int minute) {
        return day.atTime(LocalTime.of(hour, minute)).atZone(ZONE).toInstant();
    }

    static String isoWeek(LocalDate monday) {
        return String.format("%d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR), monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    /** Each task's fate, the same on every run: most closed on time, some returned once, late, very late, or never. */
    static Fate fate(int week, int index) {
        int h = Math.floorMod(week * 131 + index * 37 + index * index * 7, 100);
        return h < 72 ? Fate.ON_TIME : h < 80 ? Fate.RETURNED : h < 90 ? Fate.LATE : h < 96 ? Fate.LATE_LONG : Fate.NEVER;
    }

    private void planWeek(int k, List<Step> steps) {
        LocalDate monday = anchor.minusWeeks(k);
        String week = isoWeek(monday);
        String star = STARS[k % STARS.length];
        steps.add(new Step(when(monday, 9, 0), week + " dispatch", () -> dispatch(k, monday, week, star)));
        steps.add(new Step(when(monday.plusDays(1), 10, 0), week + " accept", () -> each(k, null, this::accept)));
        steps.add(new Step(when(monday.plusDays(2), 10, 0), week + " start", () -> each(k, null, t -> move(t, "start", null))));
        steps.add(new Step(when(monday.plusDays(3), 15, 0), week + " submit", () -> each(k, List.of(Fate.ON_TIME, Fate.RETURNED),
                t -> submit(t, 1, when(monday.plusDays(3), 14, 0)))));
        steps.add(new Step(when(monday.plusDays(4), 16, 0), week + " verify", () -> {
            each(k, List.of(Fate.ON_TIME), t -> office(t, "verify", null));
            each(k, List.of(Fate.RETURNED), t -> office(t, "return", Map.of("reason", "照片未体现整改后全貌，请补拍（示例）")));
        }));
        Instant returned = when(monday.plusDays(4), 16, 0);
        steps.add(new Step(when(monday.plusDays(5), 11, 0), week + " resubmit", () -> each(k, List.of(Fate.RETURNED),
                t -> {
                    if (officeActs(returned)) {   // sent back only if the office had got to it
                        submit(t, 2, when(monday.plusDays(5), 10, 0));
                    }
                })));
        steps.add(new Step(when(monday.plusDays(6), 10, 0), week + " verify returned", () -> each(k, List.of(Fate.RETURNED),
                t -> office(t, "verify", null))));
        steps.add(new Step(when(monday.plusDays(8), 15, 0), week + " late", () -> each(k, List.of(Fate.LATE),
                t -> submit(t, 1, when(monday.plusDays(8), 14, 0)))));
        steps.add(new Step(when(monday.plusDays(9), 10, 0), week + " verify late", () -> each(k, List.of(Fate.LATE),
                t -> office(t, "verify", null))));
        steps.add(new Step(when(monday.plusDays(13), 15, 0), week + " very late", () -> each(k, List.of(Fate.LATE_LONG),
                t -> submit(t, 1, when(monday.plusDays(13), 14, 0)))));
        steps.add(new Step(when(monday.plusDays(14), 10, 0), week + " verify very late", () -> each(k, List.of(Fate.LATE_LONG),
                t -> office(t, "verify", null))));
    }

    private void each(int k, List<Fate> fates, java.util.function.Consumer<Tracked> action) {
        for (Tracked t : List.copyOf(weeks.getOrDefault(k, List.of()))) {
            if (fates == null || fates.contains(t.fate())) {
                action.accept(t);
            }
        }
    }

    private void dispatch(int k, LocalDate monday, String week, String star) {
        List<JsonNode> items = catalogue.get(star);
        JsonNode first = items.get(k % items.size());
        JsonNode second = items.get((k + 3) % items.size());
        String sunday = monday.plusDays(6).toString();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (JsonNode item : List.of(first, second)) {
            JsonNode town = towns.get((2 * k + (item == first ? 0 : 1)) % towns.size());
            lines.add(Map.of("catalogCode", item.path("code").asText(), "groupId", groupsByCode.get(item.path("groupCode").asText()).path("id").asText(),
                    "dueDate", sunday, "fanOut", Map.of("townId", town.path("id").asText())));
        }
        JsonNode publicity = groupsByCode.get("G-XC");
        lines.add(Map.of("title", "更新村务公开栏和创建宣传栏（示例）", "groupId", publicity.path("id").asText(),
                "assigneeId", cadres.get(publicity.path("id").asText()).get(0), "dueDate", monday.plusDays(4).toString()));
        JsonNode created = call("POST", at.task() + "/api/v1/dispatches", "office", Map.of("week", week, "lines", lines),
                Map.of("Idempotency-Key", key("dispatch", week)), 201, 200).body();
        List<Tracked> tracked = new ArrayList<>();
        int i = 0;
        for (JsonNode t : created.path("tasks")) {
            JsonNode item = items.stream().filter(c -> c.path("code").asText().equals(t.path("code").asText())).findFirst().orElse(null);
            tracked.add(new Tracked(t.path("id").asText(), t.path("groupId").asText(), text(t, "assigneeId"), text(t, "villageId"), fate(k, i++),
                    item == null ? 1 : Math.max(1, item.path("minPhotos").asInt())));
        }
        weeks.put(k, tracked);
        dispatched++;
    }

    /** 签收: the group lead first gives an unassigned task to a cadre of the group (alternating), then the cadre accepts. */
    private void accept(Tracked t) {
        String assignee = t.assigneeId();
        if (assignee == null) {
            List<String> group = cadres.get(t.groupId());
            assignee = group.get(Math.floorMod(t.id().hashCode(), group.size()));
            call("POST", at.task() + "/api/v1/tasks/" + t.id() + "/assign", usernames.get(leadOf.get(t.groupId())), Map.of("assigneeId", assignee),
                    Map.of("If-Match", "*", "Idempotency-Key", key("assign", t.id())), 200);
        }
        Tracked mine = t.to(assignee);
        replace(mine);
        move(mine, "accept", null);
    }

    private void replace(Tracked t) {
        for (List<Tracked> list : List.of(weeks.values(), meetingTasks.values()).stream().flatMap(java.util.Collection::stream).toList()) {
            list.replaceAll(x -> x.id().equals(t.id()) ? t : x);
        }
    }

    private Tracked current(Tracked t) {
        return List.of(weeks.values(), meetingTasks.values()).stream().flatMap(java.util.Collection::stream).flatMap(List::stream)
                .filter(x -> x.id().equals(t.id())).findFirst().orElse(t);
    }

    private void move(Tracked t, String action, Object body) {
        Tracked now = current(t);
        if (now.fate() == Fate.NEVER && !action.equals("accept")) {
            return;
        }
        call("POST", at.task() + "/api/v1/tasks/" + t.id() + "/" + action, usernames.get(now.assigneeId()), body,
                Map.of("If-Match", "*", "Idempotency-Key", key(action, t.id())), 200);
    }

    private boolean officeActs(Instant at) {
        return at == null || !at.isAfter(stopAt.minus(OFFICE_LAG));
    }

    /** 销号 or 退回: the office is a day and a half behind (so that 待销号 always has the latest submissions waiting). */
    private void office(Tracked t, String action, Object body) {
        if (!officeActs(shown)) {
            return;
        }
        call("POST", at.task() + "/api/v1/tasks/" + t.id() + "/" + action, "office", body,
                Map.of("If-Match", "*", "Idempotency-Key", key(action, t.id())), 200);
    }

    /** 办结 with {@code round}'s photo (a placeholder drawn here, under an id made here: uploading it again changes nothing). */
    private void submit(Tracked t, int round, Instant takenAt) {
        Tracked now = current(t);
        String cadre = usernames.get(now.assigneeId());
        List<String> photos = new ArrayList<>();
        for (int n = 0; n < now.photos(); n++) {
            UUID photo = UUID.nameUUIDFromBytes(("demo-photo:" + t.id() + ":" + round + ":" + n).getBytes(StandardCharsets.UTF_8));
            multipart(at.task() + "/api/v1/tasks/" + t.id() + "/evidence/" + photo, cadre, placeholder(t.id() + round + n), takenAt.plusSeconds(60L * n));
            photos.add(photo.toString());
        }
        call("POST", at.task() + "/api/v1/tasks/" + t.id() + "/submit", cadre,
                Map.of("note", round == 1 ? "已按要求完成整治，现场照片见附件（示例）" : "已按退回意见补充整改并补拍照片（示例）", "evidenceIds", photos),
                Map.of("If-Match", "*", "Idempotency-Key", key("submit" + round, t.id())), 200);
    }

    // ---- meetings (review-service) ---------------------------------------------------------------------------------

    private void planMeetings(List<Step> steps) {
        LocalDate first = anchor.minusWeeks(5);
        LocalDate second = anchor.minusWeeks(1);
        steps.add(new Step(when(first, 14, 0), "regular meeting 1", () -> regularMeeting("第" + isoWeek(first).substring(6) + "周创建工作例会（示例）",
                first, "regular-1")));
        steps.add(new Step(when(first.plusDays(1), 11, 0), "regular meeting 1 items", () -> actionItems("regular-1", true)));
        steps.add(new Step(when(first.plusDays(3), 16, 0), "regular meeting 1 items closed", () -> meetingTasks.getOrDefault("regular-1", List.of())
                .forEach(t -> submit(t, 1, when(first.plusDays(3), 15, 0)))));
        steps.add(new Step(when(first.plusDays(4), 16, 30), "regular meeting 1 items verified", () -> meetingTasks.getOrDefault("regular-1", List.of())
                .forEach(t -> office(t, "verify", null))));
        steps.add(new Step(when(second, 14, 0), "regular meeting 2", () -> regularMeeting("第" + isoWeek(second).substring(6) + "周创建工作例会（示例）",
                second, "regular-2")));
        steps.add(new Step(when(second.plusDays(1), 11, 0), "regular meeting 2 items", () -> actionItems("regular-2", true)));
        LocalDate observation = anchor.minusWeeks(3).plusDays(4);
        steps.add(new Step(when(observation, 9, 0), "observation", () -> observation("生态宜居星观摩评比（示例）", observation)));
        steps.add(new Step(when(observation.plusDays(3), 10, 0), "statements", this::statements));
        LocalDate lookBack = anchor.minusWeeks(2).plusDays(2);
        steps.add(new Step(when(lookBack, 10, 0), "look-back", () -> lookBack("回头看：生态宜居整治成效（示例）", lookBack)));
    }

    private JsonNode meeting(String title, String type, String star, LocalDate date) {
        for (JsonNode m : call("GET", at.review() + "/api/v1/meetings?limit=200&type=" + type, "leader", null, Map.of(), 200).body().path("items")) {
            if (m.path("title").asText().equals(title)) {
                return m;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>(Map.of("title", title, "type", type, "date", date.toString(), "place", "区委第一会议室（示例）"));
        if (star != null) {
            body.put("star", star);
        }
        return call("POST", at.review() + "/api/v1/meetings", "leader", body, Map.of(), 201).body();
    }

    /** open → start → close, each only if the meeting is not past it yet (If-Match from a fresh read). */
    private void advance(String id, String to) {
        List<String> order = List.of("DRAFT", "OPEN", "IN_PROGRESS", "CLOSED");
        Map<String, String> action = Map.of("OPEN", "open", "IN_PROGRESS", "start", "CLOSED", "close");
        while (true) {
            Answer m = call("GET", at.review() + "/api/v1/meetings/" + id, "leader", null, Map.of(), 200);
            int now = order.indexOf(m.body().path("status").asText());
            if (now >= order.indexOf(to)) {
                return;
            }
            call("POST", at.review() + "/api/v1/meetings/" + id + "/" + action.get(order.get(now + 1)), "leader", null,
                    Map.of("If-Match", m.etag()), 200);
        }
    }

    private void regularMeeting(String title, LocalDate date, String name) {
        String id = meeting(title, "REGULAR", null, date).path("id").asText();
        advance(id, "IN_PROGRESS");
        if (call("GET", at.review() + "/api/v1/meetings/" + id + "/decisions", "leader", null, Map.of(), 200).body().isEmpty()) {
            String st = groupsByCode.get("G-ST").path("id").asText();
            String zb = groupsByCode.get("G-ZB").path("id").asText();
            call("POST", at.review() + "/api/v1/meetings/" + id + "/decisions", "leader", Map.of("text", "加快人居环境整治进度，本周内完成坑塘清淤和支部阵地规范化（示例）",
                    "actionItems", List.of(
                            Map.of("title", "会议交办：坑塘清淤验收（示例）", "groupId", st, "assigneeId", cadres.get(st).get(0), "dueDate", date.plusDays(9).toString()),
                            Map.of("title", "会议交办：支部阵地规范化（示例）", "groupId", zb, "assigneeId", cadres.get(zb).get(0), "dueDate", date.plusDays(9).toString()))),
                    Map.of(), 201);
        }
        advance(id, "CLOSED");
        meetingTasks.put(name, new ArrayList<>());
        meetingIds.put(name, id);
    }

    private final Map<String, String> meetingIds = new HashMap<>();

    /** The decision's action items became tasks in task-service (through Kafka): found, accepted and started by their cadres. */
    private void actionItems(String name, boolean start) {
        String id = meetingIds.get(name);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Tracked> found = new ArrayList<>();
        while (found.isEmpty()) {
            for (JsonNode d : call("GET", at.review() + "/api/v1/meetings/" + id + "/decisions", "leader", null, Map.of(), 200).body()) {
                for (JsonNode item : d.path("actionItems")) {
                    if (item.path("taskId").isTextual()) {
                        found.add(new Tracked(item.path("taskId").asText(), item.path("groupId").asText(), item.path("assigneeId").asText(), null,
                                Fate.ON_TIME, 1));
                    }
                }
                if (found.size() < d.path("actionItems").size()) {
                    found.clear();
                }
            }
            if (found.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the action items of " + name + " did not become tasks in 60 s");
                }
                pause();
            }
        }
        meetingTasks.put(name, found);
        for (Tracked t : found) {
            waitForTask(t.id());
            move(t, "accept", null);
            if (start) {
                move(t, "start", null);
            }
        }
    }

    private void waitForTask(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (call("GET", at.task() + "/api/v1/tasks/" + id, "office", null, Map.of(), 200, 404).status() == 404) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("task " + id + " did not appear in 60 s");
            }
            pause();
        }
    }

    private String observationId;

    private void observation(String title, LocalDate date) {
        String id = meeting(title, "OBSERVATION", "ST", date).path("id").asText();
        observationId = id;
        String url = at.review() + "/api/v1/meetings/" + id;
        List<String> scorers = List.of(personId("leader"), personId("cm-st"));
        Answer sheet = call("GET", url + "/score-sheet", "leader", null, Map.of(), 200);
        if (sheet.body().path("scorers").size() != 2) {
            call("PUT", url + "/score-sheet", "leader", Map.of("criteria", sheet.body().path("criteria"), "scorers", scorers),
                    Map.of("If-Match", sheet.etag()), 200);
        }
        advance(id, "IN_PROGRESS");
        if (call("GET", url + "/ranking", "leader", null, Map.of(), 200).body().path("published").asBoolean()) {
            return;
        }
        List<JsonNode> criteria = new ArrayList<>();
        call("GET", url + "/score-sheet", "leader", null, Map.of(), 200).body().path("criteria").forEach(criteria::add);
        for (String scorer : List.of("leader", "cm-st")) {
            List<Map<String, Object>> scores = new ArrayList<>();
            for (int t = 0; t < towns.size(); t++) {
                for (int c = 0; c < criteria.size(); c++) {
                    if (!criteria.get(c).path("computed").isTextual()) {
                        int value = 95 - (t * 7 + c * 3 + (scorer.equals("leader") ? 0 : 2)) % 30;
                        scores.add(Map.of("townId", towns.get(t).path("id").asText(), "criterion", criteria.get(c).path("code").asText(), "value", value));
                    }
                }
            }
            call("POST", url + "/scores", scorer, scores, Map.of(), 200);
        }
        call("POST", url + "/ranking/publish", "leader", null, Map.of(), 200);
        advance(id, "CLOSED");
    }

    /** The lowest towns' secretaries make their statements: all but the last, so that leaders see who has not yet. */
    private void statements() {
        if (observationId == null) {
            return;
        }
        String url = at.review() + "/api/v1/meetings/" + observationId + "/statements";
        List<JsonNode> required = new ArrayList<>();
        call("GET", url, "leader", null, Map.of(), 200).body().forEach(required::add);
        for (int i = 0; i < required.size() - 1; i++) {
            JsonNode s = required.get(i);
            if (s.path("text").isTextual()) {
                continue;
            }
            String town = towns.stream().filter(t -> t.path("id").asText().equals(s.path("townId").asText())).findFirst().orElseThrow()
                    .path("code").asText().toLowerCase();
            call("POST", url + "/" + s.path("id").asText(), "sec-" + town, Map.of("text", s.path("townName").asText()
                    + "在本次观摩评比中排名靠后，镇党委深刻反思，表态如下：一周内逐村排查整改，两周内补齐短板，接受区委督查（示例）",
                    "date", LocalDate.ofInstant(shown, ZONE).toString()), Map.of(), 200);
        }
    }

    /** 回头看: a task verified weeks ago has rebounded (reopened in task-service), two others hold. */
    private void lookBack(String title, LocalDate date) {
        String id = meeting(title, "LOOK_BACK", null, date).path("id").asText();
        advance(id, "IN_PROGRESS");
        String url = at.review() + "/api/v1/meetings/" + id + "/findings";
        if (call("GET", url, "leader", null, Map.of(), 200).body().isEmpty()) {
            List<Tracked> verified = weeks.getOrDefault(8, List.of()).stream().filter(t -> t.fate() == Fate.ON_TIME && t.villageId() != null).toList();
            for (int i = 0; i < Math.min(3, verified.size()); i++) {
                Tracked t = verified.get(i);
                boolean rebound = i == 0;
                call("POST", url, "leader", Map.of("taskId", t.id(), "villageId", t.villageId(), "result", rebound ? "REBOUNDED" : "HOLDS",
                        "note", rebound ? "坑塘岸边垃圾再次堆积，整治成效出现反弹（示例）" : "整治成效保持良好（示例）"), Map.of(), 201);
            }
        }
        advance(id, "CLOSED");
    }

    // ---- the directory, the catalogue ------------------------------------------------------------------------------

    private void readDirectory() {
        for (JsonNode g : call("GET", at.task() + "/api/v1/groups", "office", null, Map.of(), 200).body()) {
            groupsByCode.put(g.path("code").asText(), g);
            if (g.path("leadId").isTextual()) {
                leadOf.put(g.path("id").asText(), g.path("leadId").asText());
            }
        }
        call("GET", at.task() + "/api/v1/towns", "office", null, Map.of(), 200).body().forEach(towns::add);
        for (int page = 0; ; page++) {
            JsonNode people = call("GET", at.task() + "/api/v1/people?size=200&page=" + page, "office", null, Map.of(), 200).body();
            for (JsonNode p : people.path("items")) {
                usernames.put(p.path("id").asText(), p.path("username").asText());
                boolean cadre = false;
                for (JsonNode r : p.path("roles")) {
                    cadre |= r.asText().equals("CADRE");
                }
                if (cadre && p.path("active").asBoolean() && p.path("groupId").isTextual()) {
                    cadres.computeIfAbsent(p.path("groupId").asText(), g -> new ArrayList<>()).add(p.path("id").asText());
                }
            }
            if ((long) (page + 1) * 200 >= people.path("total").asLong()) {
                break;
            }
        }
        cadres.values().forEach(list -> list.sort(Comparator.comparing(usernames::get)));
        for (JsonNode item : call("GET", at.task() + "/api/v1/catalogue?active=true", "office", null, Map.of(), 200).body()) {
            catalogue.computeIfAbsent(item.path("star").asText(), s -> new ArrayList<>()).add(item);
        }
    }

    private String personId(String username) {
        return usernames.entrySet().stream().filter(e -> e.getValue().equals(username)).map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    // ---- the clocks ------------------------------------------------------------------------------------------------

    private void moveClocks(Instant to) {
        for (String service : List.of(at.task(), at.review())) {
            call("PUT", service + "/api/v1/admin/demo-clock", "admin", Map.of("at", to.toString()), Map.of(), 200);
        }
    }

    private void resetClocks() {
        for (String service : List.of(at.task(), at.review())) {
            call("DELETE", service + "/api/v1/admin/demo-clock", "admin", null, Map.of(), 200);
        }
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------------

    private record Answer(int status, JsonNode body, String etag) {
    }

    private String key(String action, String subject) {
        return "demo-history:" + anchor + ":" + action + ":" + subject;
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.path(field).asText() : null;
    }

    private Answer call(String method, String url, String user, Object body, Map<String, String> headers, int... expected) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token.apply(user)).header("Accept", "application/json").header("X-Client", "demo-history");
            headers.forEach(b::header);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            }
            return send(b.build(), method + " " + url, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void multipart(String url, String user, byte[] jpeg, Instant takenAt) {
        String boundary = "demo-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"takenAt\"\r\n\r\n" + takenAt + "\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"latitude\"\r\n\r\n" + LAT + "\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"longitude\"\r\n\r\n" + LON + "\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(jpeg);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token.apply(user)).header("X-Client", "demo-history")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        send(request, "PUT " + url, 200, 201);
    }

    private Answer send(HttpRequest request, String what, int... expected) {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                calls++;
                for (int e : expected) {
                    if (r.statusCode() == e) {
                        JsonNode node = r.body().length == 0 ? json.nullNode() : json.readTree(r.body());
                        return new Answer(r.statusCode(), node, r.headers().firstValue("ETag").orElse(null));
                    }
                }
                // a service busy or restarting: the same call again (every call here is safe to repeat)
                if ((r.statusCode() == 503 || r.statusCode() == 502) && attempt < 10) {
                    pause();
                    continue;
                }
                throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (attempt >= 10) {
                    throw new UncheckedIOException(what, e);
                }
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** The wait before asking again (a service restarting, a task still on its way through Kafka). */
    private static void pause() {
        try {
            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A placeholder photo (the same bytes for the same seed): a sky, a field, a row of houses. */
    static byte[] placeholder(String seed) {
        int h = seed.hashCode();
        BufferedImage image = new BufferedImage(480, 360, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(150 + Math.floorMod(h, 60), 190 + Math.floorMod(h >> 3, 50), 230));
        g.fillRect(0, 0, 480, 200);
        g.setColor(new Color(70 + Math.floorMod(h >> 5, 60), 140 + Math.floorMod(h >> 7, 60), 60));
        g.fillRect(0, 200, 480, 160);
        for (int i = 0; i < 4; i++) {
            int x = 30 + i * 110;
            g.setColor(new Color(200, 190 - i * 10, 170));
            g.fillRect(x, 140, 80, 70);
            g.setColor(new Color(150 + Math.floorMod(h >> (i + 2), 80), 50, 40));
            g.fillPolygon(new int[] {x - 8, x + 40, x + 88}, new int[] {140, 100, 140}, 3);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Runs the loader on its own against a running local stack: {@code --task URL --review URL --issuer URL [--anchor DATE]}
     * (the demo-only password grant of every demo person). Used by the test that kills it in the middle.
     */
    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Instant> fetched = new java.util.concurrent.ConcurrentHashMap<>();
        Function<String, String> token = u -> {
            if (!tokens.containsKey(u) || fetched.get(u).isBefore(Instant.now().minusSeconds(120))) {
                tokens.put(u, Tokens.passwordGrant(a.get("--issuer"), "fivestar-cli", u, LocalStack.DEMO_PASSWORD));
                fetched.put(u, Instant.now());
            }
            return tokens.get(u);
        };
        Instant now = Instant.now();
        LocalDate anchor = a.containsKey("--anchor") ? LocalDate.parse(a.get("--anchor")) : anchorFor(now);
        Result r = new DemoHistory(new Endpoints(a.get("--task"), a.get("--review")), token, anchor, now, System.out).load();
        System.out.println("demo history loaded: " + r);
    }
}
