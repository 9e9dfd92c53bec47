package app.fivestar.notification.inbox;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class InboxApiTest {

    @TestHTTPResource("/api/v1/inbox/stream")
    URL stream;

    static void assign(Person p, String title) {
        TestRecords.send(Topics.TASK_EVENTS, People.taskEvent("task.assigned.v1", Map.of("assigneeId", p.id(), "groupId", p.groupId(), "title", title)));
    }

    static Person cadre() {
        return People.known("CADRE", UUID.randomUUID(), null);
    }

    @Test
    void myInboxIsPagedByCursorFilteredByUnreadAndMarkedRead() {
        Person me = cadre();
        Person someoneElse = cadre();
        for (int i = 0; i < 7; i++) {
            assign(me, "任务" + i);
        }
        assign(someoneElse, "别人的任务");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> me.inbox().body("items", hasSize(7)));

        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            var page = given().auth().oauth2(me.token()).queryParam("limit", 3).queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get("/api/v1/inbox").then().statusCode(200).extract().jsonPath();
            page.getList("items.id", String.class).forEach(id -> assertTrue(seen.add(id)));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertEquals(7, seen.size());

        given().auth().oauth2(me.token()).get("/api/v1/inbox/unread-count").then().body("unread", equalTo(7));
        String first = seen.iterator().next();
        given().auth().oauth2(me.token()).post("/api/v1/inbox/" + first + "/read").then().statusCode(200).body("read", equalTo(true));
        given().auth().oauth2(someoneElse.token()).post("/api/v1/inbox/" + first + "/read").then().statusCode(404);
        given().auth().oauth2(me.token()).get("/api/v1/inbox?unread=true").then().body("items", hasSize(6));
        given().auth().oauth2(me.token()).post("/api/v1/inbox/read-all").then().statusCode(200).body("marked", equalTo(6));
        given().auth().oauth2(me.token()).get("/api/v1/inbox/unread-count").then().body("unread", equalTo(0));
        given().get("/api/v1/inbox").then().statusCode(401);
    }

    @Test
    void theLiveStreamResumesFromLastEventIdWithoutLoss() throws Exception {
        Person me = cadre();
        HttpClient http = HttpClient.newHttpClient();
        List<String[]> firstEvents = new ArrayList<>();
        HttpResponse<InputStream> r1 = http.send(HttpRequest.newBuilder(stream.toURI()).header("Authorization", "Bearer " + me.token())
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r1.statusCode());
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> read(r1.body(), firstEvents, 2));
        assign(me, "直播一");
        assign(me, "直播二");
        reading.get(30, TimeUnit.SECONDS);
        r1.body().close();                                       // the connection drops
        String lastId = firstEvents.get(1)[0];

        assign(me, "断线期间三");
        assign(me, "断线期间四");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> me.inbox().body("items", hasSize(4)));

        List<String[]> resumed = new ArrayList<>();
        HttpResponse<InputStream> r2 = http.send(HttpRequest.newBuilder(stream.toURI()).header("Authorization", "Bearer " + me.token())
                .header("Last-Event-ID", lastId).build(), HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture.runAsync(() -> read(r2.body(), resumed, 2)).get(30, TimeUnit.SECONDS);
        r2.body().close();
        assertTrue(resumed.get(0)[1].contains("断线期间三"), resumed.get(0)[1]);
        assertTrue(resumed.get(1)[1].contains("断线期间四"), resumed.get(1)[1]);
        assertTrue(Long.parseLong(resumed.get(0)[0]) > Long.parseLong(lastId));

        assertEquals(401, http.send(HttpRequest.newBuilder(stream.toURI()).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager em;

    @Test
    void aBurstLargerThanAPageIsPushedWithoutWaitingForTheNextLook() throws Exception {
        Person me = cadre();
        int burst = 2 * InboxResource.STREAM_PAGE + 50;
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into notification "
                + "(id, recipient_id, kind, urgent, title, body, link, event_id, event_time, created_at) select gen_random_uuid(), ?1, "
                + "'TASK_ASSIGNED', false, '积压' || i, '积压的消息', null, gen_random_uuid(), now(), now() from generate_series(1, ?2) i")
                .setParameter(1, me.id()).setParameter(2, burst).executeUpdate());
        List<String[]> events = new ArrayList<>();
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stream.toURI()).header("Authorization", "Bearer " + me.token())
                .header("Last-Event-ID", "0").build(), HttpResponse.BodyHandlers.ofInputStream());
        // one look at the start, no signal after it: the stream's next look is a minute away in tests
        CompletableFuture.runAsync(() -> read(r.body(), events, burst)).get(15, TimeUnit.SECONDS);
        r.body().close();
        assertEquals(burst, events.stream().map(e -> e[0]).distinct().count());
        for (int i = 1; i < burst; i++) {
            assertTrue(Long.parseLong(events.get(i)[0]) > Long.parseLong(events.get(i - 1)[0]), "in order");
        }
    }

    /** Reads {@code count} SSE events as [id, data]. */
    static void read(InputStream in, List<String[]> out, int count) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String id = null;
            String line;
            while (out.size() < count && (line = reader.readLine()) != null) {
                if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    out.add(new String[] {id, line.substring(5).strip()});
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static URI uri(URL u) throws Exception {
        return u.toURI();
    }

    @Test
    void aNulCharacterInATextIsABadRequestNamingTheFieldNotAServerError() {
        Person me = People.person("CADRE", UUID.randomUUID(), null);
        given().auth().oauth2(me.token()).contentType("application/json")
                .body("{\"url\":\"https://hooks.example.test/a\\u0000b\",\"format\":\"GENERIC\"}")
                .post("/api/v1/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("url"));
    }
}
