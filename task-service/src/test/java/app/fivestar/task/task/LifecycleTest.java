package app.fivestar.task.task;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.task.Weeks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
public class LifecycleTest {

    /** A real 2 × 2 PNG (photos are decoded and re-encoded on upload: a header alone no longer passes). */
    public static final byte[] PNG = png();

    static byte[] png() {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xb71c1c);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
    static EventCapture events;

    @BeforeAll
    static void listen() {
        events = EventCapture.on(Topics.TASK_EVENTS);
    }

    @AfterAll
    static void stop() {
        events.close();
    }

    public static String dispatchOne(String code) {
        return given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", Weeks.of(LocalDate.now()), "lines", List.of(Map.of("catalogCode", code, "groupId", Demo.ST_GROUP,
                        "dueDate", LocalDate.now().plusDays(5).toString(), "assigneeId", Demo.ST_CADRE))))
                .when().post("/api/v1/dispatches").then().statusCode(201).extract().path("tasks[0].id");
    }

    public static String etag(String id) {
        return given().auth().oauth2(Demo.token("office")).when().get("/api/v1/tasks/" + id).then().statusCode(200).extract().header("ETag");
    }

    public static ValidatableResponse move(String who, String id, String action, Object body, String etag) {
        var request = given().auth().oauth2(Demo.token(who)).header("X-Client", "mobile/1.0 test").contentType(ContentType.JSON);
        if (etag != null) {
            request.header("If-Match", etag);
        }
        if (body != null) {
            request.body(body);
        }
        return request.when().post("/api/v1/tasks/" + id + "/" + action).then();
    }

    public static String upload(String id, byte[] bytes, String name) {
        return given().auth().oauth2(Demo.token("st-cadre")).multiPart("file", name, bytes, "image/png")
                .when().post("/api/v1/tasks/" + id + "/evidence").then().statusCode(201).extract().path("id");
    }

    @Test
    void aCadreClosesATaskWithEvidenceAndTheOfficeVerifiesIt() throws Exception {
        String id = dispatchOne("ST-01"); // needs 3 photos and a note
        move("st-cadre", id, "accept", null, etag(id)).statusCode(200).body("status", equalTo("ACCEPTED"));
        move("st-cadre", id, "start", null, etag(id)).statusCode(200).body("status", equalTo("IN_PROGRESS"));
        String photo1 = upload(id, PNG, "pond-before.png");
        move("st-cadre", id, "submit", Map.of("note", "", "evidenceIds", List.of(photo1)), etag(id))
                .statusCode(422).contentType("application/problem+json")
                .body("violations.field", hasItems("evidenceIds", "note"))
                .body("minPhotos", equalTo(3));
        String photo2 = upload(id, PNG, "pond-during.png");
        String photo3 = upload(id, PNG, "pond-after.png");
        move("st-cadre", id, "submit", Map.of("note", "坑塘已清理完毕", "evidenceIds", List.of(photo1, photo2, photo3)), etag(id))
                .statusCode(200).body("status", equalTo("SUBMITTED"));
        move("office", id, "verify", null, etag(id)).statusCode(200).body("status", equalTo("VERIFIED"));

        List<CloudEvent> mine = await().atMost(Duration.ofSeconds(20)).until(() -> events.events().stream()
                .filter(e -> id.equals(e.subject())).toList(), l -> l.size() == 5);
        assertEquals(List.of("task.assigned.v1", "task.accepted.v1", "task.started.v1", "task.submitted.v1", "task.verified.v1"),
                mine.stream().map(CloudEvent::type).toList(), "one aggregate's events arrive in order");
        mine.forEach(e -> assertEquals(List.of(), ContractValidator.problems(e)));
        // each move's event names the group's lead: the move's one statement returns it with the stamp
        mine.forEach(e -> assertEquals(Demo.ST_LEAD.toString(), e.text("groupLeadId"), e.type()));
        assertEquals(3, mine.get(3).data().get("evidenceCount").asInt());

        given().auth().oauth2(Demo.token("st-cadre")).when().get("/api/v1/tasks/" + id + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("create", "accept", "start", "submit", "verify")))
                .body("[1].client", equalTo("mobile/1.0 test"))
                .body("[1].oldValues", containsString("ASSIGNED"));
        byte[] downloaded = given().auth().oauth2(Demo.token("office")).when().get("/api/v1/tasks/" + id + "/evidence/" + photo2)
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        // the stored copy is re-encoded from the pixels: the same picture, and its SHA-256 is the one listed
        java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(downloaded));
        assertEquals(0xb71c1c, picture.getRGB(0, 0) & 0xFFFFFF);
        given().auth().oauth2(Demo.token("office")).when().get("/api/v1/tasks/" + id + "/evidence").then().statusCode(200)
                .body("sha256", hasItem(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(downloaded))));
    }

    @Test
    void editsNeedTheCurrentETag() {
        String id = dispatchOne("ST-21");
        String stale = etag(id);
        move("st-cadre", id, "accept", null, null).statusCode(428).body("type", equalTo("https://fivestar.app/problems/precondition-required"));
        move("st-cadre", id, "accept", null, stale).statusCode(200);
        move("st-cadre", id, "start", null, stale).statusCode(412).body("type", equalTo("https://fivestar.app/problems/precondition-failed"));
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * A move writes only the task it read: someone else's change committed between the move's read and its write (here
     * a transaction holding the row while the move is under way) makes it a 409, and the move writes nothing — no lost
     * update, no journal line, no event.
     */
    @Test
    void aMoveThatLosesARaceIsAConflictAndWritesNothing() throws Exception {
        String id = dispatchOne("ST-21");
        String read = etag(id);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection held = dataSource.getConnection(); Connection look = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (PreparedStatement ps = held.prepareStatement("update task set note = 'held', version = version + 1 where id = ?")) {
                ps.setObject(1, UUID.fromString(id));
                assertEquals(1, ps.executeUpdate());
            }
            Future<ValidatableResponse> moving = pool.submit(() -> move("st-cadre", id, "accept", null, read));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForALock(look)); // the move has read and waits to write
            held.commit();
            moving.get(20, TimeUnit.SECONDS).statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("https://fivestar.app/problems/conflict"));
            try (PreparedStatement ps = look.prepareStatement("select status, version, note, (select count(*) from task_journal j where j.task_id = t.id), "
                    + "(select count(*) from outbox_event o where o.record_key = cast(t.id as text) and o.type = 'task.accepted.v1') from task t where id = ?")) {
                ps.setObject(1, UUID.fromString(id));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals("ASSIGNED", rs.getString(1), "the other change stays, the move did not happen");
                    assertEquals(Long.parseLong(read.replaceAll("[^0-9]", "")) + 1, rs.getLong(2), "one version more: the other change's");
                    assertEquals("held", rs.getString(3));
                    assertEquals(1, rs.getLong(4), "only the create line in the journal");
                    assertEquals(0, rs.getLong(5), "no event");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static boolean waitingForALock(Connection look) throws java.sql.SQLException {
        try (PreparedStatement ps = look.prepareStatement("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%update task set status%'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    @Test
    void anIllegalMoveIsAConflictNamingTheStateAndTheAllowedMoves() {
        String id = dispatchOne("ST-21");
        move("office", id, "verify", null, etag(id)).statusCode(409)
                .body("currentState", equalTo("ASSIGNED"))
                .body("allowedTransitions", hasItems("accept", "start", "cancel"));
    }

    @Test
    void aRetriedSubmitChangesOnceAndAnswersTheSame() {
        String id = dispatchOne("ST-23"); // 2 photos, no note required
        String p1 = upload(id, PNG, "a.png");
        String p2 = upload(id, PNG, "b.png");
        move("st-cadre", id, "accept", null, etag(id)).statusCode(200);
        String etag = etag(id);
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("evidenceIds", List.of(p1, p2));
        String first = given().auth().oauth2(Demo.token("st-cadre")).header("If-Match", etag).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).when().post("/api/v1/tasks/" + id + "/submit")
                .then().statusCode(200).extract().asString();
        String replay = given().auth().oauth2(Demo.token("st-cadre")).header("If-Match", etag).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).when().post("/api/v1/tasks/" + id + "/submit")
                .then().statusCode(200).header("Idempotent-Replayed", "true").extract().asString();
        assertEquals(first.replace(" ", ""), replay.replace(" ", ""));
        await().atMost(Duration.ofSeconds(20)).until(() -> events.events().stream().anyMatch(e -> id.equals(e.subject()) && e.type().equals("task.submitted.v1")));
        assertEquals(1, events.events().stream().filter(e -> id.equals(e.subject()) && e.type().equals("task.submitted.v1")).count());
        given().auth().oauth2(Demo.token("office")).when().get("/api/v1/tasks/" + id + "/history").then()
                .body("findAll { it.action == 'submit' }.size()", equalTo(1));
    }

    @Test
    void theOfficeReturnsWithAReasonAndTheCadreResubmits() {
        String id = dispatchOne("ST-23");
        String p1 = upload(id, PNG, "a.png");
        String p2 = upload(id, PNG, "b.png");
        move("st-cadre", id, "accept", null, etag(id)).statusCode(200);
        move("st-cadre", id, "submit", Map.of("evidenceIds", List.of(p1, p2)), etag(id)).statusCode(200);
        move("office", id, "return", Map.of("reason", " "), etag(id)).statusCode(400);
        move("office", id, "return", Map.of("reason", "照片看不清"), etag(id)).statusCode(200)
                .body("status", equalTo("RETURNED")).body("returnedCount", equalTo(1));
        CloudEvent returned = await().atMost(Duration.ofSeconds(20)).until(() -> events.events().stream()
                .filter(e -> id.equals(e.subject()) && e.type().equals("task.returned.v1")).findFirst(), java.util.Optional::isPresent).get();
        assertEquals("照片看不清", returned.text("reason"));
        move("st-cadre", id, "submit", Map.of("evidenceIds", List.of(p1, p2)), etag(id)).statusCode(200).body("status", equalTo("SUBMITTED"));
    }

    @Test
    void anApprovedExtensionMovesTheDueDateWithAJournalLineAndAnEvent() {
        String id = dispatchOne("ST-21");
        String newDue = LocalDate.now().plusDays(20).toString();
        String requestId = move("st-cadre", id, "extension", Map.of("dueDate", newDue, "reason", "雨天无法施工"), etag(id))
                .statusCode(201).body("status", equalTo("PENDING")).extract().path("id");
        move("st-cadre", id, "extension", Map.of("dueDate", newDue, "reason", "再来一次"), etag(id)).statusCode(409);
        move("st-cadre", id, "extension/" + requestId + "/approve", Map.of(), etag(id)).statusCode(403);
        move("office", id, "extension/" + requestId + "/approve", Map.of("note", "同意"), etag(id)).statusCode(200)
                .body("dueDate", equalTo(newDue));
        CloudEvent changed = await().atMost(Duration.ofSeconds(20)).until(() -> events.events().stream()
                .filter(e -> id.equals(e.subject()) && e.type().equals("task.due-date-changed.v1")).findFirst(), java.util.Optional::isPresent).get();
        assertEquals(newDue, changed.text("dueDate"));
        assertEquals(List.of(), ContractValidator.problems(changed));
        given().auth().oauth2(Demo.token("office")).when().get("/api/v1/tasks/" + id + "/history").then()
                .body("action", hasItems("request-extension", "approve-extension"));
    }

    @Test
    void onlyRealPhotosOfAtMostFiveMegabytesAreAccepted() {
        String id = dispatchOne("ST-21");
        given().auth().oauth2(Demo.token("st-cadre")).multiPart("file", "notes.png", "just text, not an image".getBytes(), "image/png")
                .when().post("/api/v1/tasks/" + id + "/evidence").then().statusCode(415).contentType("application/problem+json");
        byte[] big = new byte[5 * 1024 * 1024 + 10];
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        given().auth().oauth2(Demo.token("st-cadre")).multiPart("file", "huge.png", big, "image/png")
                .when().post("/api/v1/tasks/" + id + "/evidence").then().statusCode(413).contentType("application/problem+json");
    }
}
