package app.fivestar.review.meeting;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.platform.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every role against the review endpoints. People: leader, office, scorer (a cadre named on the sheet), cadre,
 * sec-own (secretary of the scored town), sec-other, lead (a group lead), admin.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "review"))
class ReviewAccessMatrixTest {

    static final List<String> WHO = List.of("leader", "office", "scorer", "cadre", "sec-own", "sec-other", "lead", "admin");
    static final UUID TOWN = UUID.randomUUID();
    static final Map<String, UUID> IDS = new LinkedHashMap<>();

    static RequestSpecification as(String who) {
        UUID id = IDS.computeIfAbsent(who, w -> UUID.randomUUID());
        String role = switch (who) {
            case "leader" -> "LEADER";
            case "office" -> "OFFICE";
            case "scorer", "cadre" -> "CADRE";
            case "sec-own", "sec-other" -> "TOWN_SECRETARY";
            case "lead" -> "GROUP_LEAD";
            default -> "ADMIN";
        };
        UUID town = who.equals("sec-own") ? TOWN : who.equals("sec-other") ? UUID.randomUUID() : null;
        return given().auth().oauth2(TestTokens.token(id, who, Set.of(role), null, town)).contentType(ContentType.JSON);
    }

    static Map<String, Integer> expect(int... codes) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < WHO.size(); i++) {
            m.put(WHO.get(i), codes[i]);
        }
        return m;
    }

    record Row(String endpoint, BiFunction<String, String, Integer> call, Map<String, Integer> expected) {
    }

    /** An observation in progress with a one-criterion sheet scored by "scorer" over the one known town. */
    static String observation() {
        String id = as("leader").body(Map.of("title", "观摩", "type", "OBSERVATION", "star", "WM", "date", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString()))
                .post("/api/v1/meetings").then().statusCode(201).extract().path("id");
        as("leader").header("If-Match", "*").body(Map.of("criteria", List.of(Map.of("code", "SITE", "name", "现场", "weight", 1)), "scorers", List.of(IDS.computeIfAbsent("scorer", w -> UUID.randomUUID()))))
                .put("/api/v1/meetings/" + id + "/score-sheet").then().statusCode(200);
        return id;
    }

    static String published() {
        String id = observation();
        as("scorer").body(List.of(Map.of("townId", TOWN, "criterion", "SITE", "value", 50))).post("/api/v1/meetings/" + id + "/scores").then().statusCode(200);
        as("leader").post("/api/v1/meetings/" + id + "/ranking/publish").then().statusCode(200);
        return id;
    }

    @Test
    void everyRoleGetsExactlyWhatItMay() {
        // the only town the review database knows
        CloudEvent town = TestRecords.event("/task-service", "directory.town-upserted.v1", TOWN.toString(),
                EventCodec.mapper().valueToTree(Map.of("townId", TOWN, "code", "M01", "name", "矩阵镇", "kind", "TOWN")));
        QuarkusTransaction.requiringNew().run(() -> app.fivestar.review.places.KnownTown.delete("id <> ?1", TOWN));
        TestRecords.send(Topics.DIRECTORY_EVENTS, town);
        await().atMost(Duration.ofSeconds(20)).until(() -> QuarkusTransaction.requiringNew().call(() -> app.fivestar.review.places.KnownTown.findById(TOWN) != null));

        //                                                                      leader office scorer cadre sec-own sec-other lead admin
        List<Row> rows = List.of(
                new Row("POST /meetings", (who, id) -> as(who).body(Map.of("title", "例会", "type", "REGULAR", "date", "2026-12-01"))
                        .post("/api/v1/meetings").statusCode(), expect(201, 201, 403, 403, 403, 403, 403, 403)),
                new Row("GET /meetings/{id}", (who, id) -> as(who).get("/api/v1/meetings/" + id).statusCode(), expect(200, 200, 200, 200, 200, 200, 200, 200)),
                new Row("POST /meetings/{id}/open", (who, id) -> as(who).header("If-Match", "\"v0\"").post("/api/v1/meetings/" + id + "/open").statusCode(),
                        expect(200, 200, 403, 403, 403, 403, 403, 403)),
                new Row("PUT /score-sheet", (who, id) -> as(who).header("If-Match", "*").body(Map.of("criteria", List.of(Map.of("code", "A", "name", "甲", "weight", 1)), "scorers", List.of()))
                        .put("/api/v1/meetings/" + id + "/score-sheet").statusCode(), expect(200, 200, 403, 403, 403, 403, 403, 403)),
                new Row("POST /scores", (who, id) -> as(who).body(List.of(Map.of("townId", TOWN, "criterion", "SITE", "value", 70)))
                        .post("/api/v1/meetings/" + id + "/scores").statusCode(), expect(403, 403, 200, 403, 403, 403, 403, 403)),
                new Row("GET /ranking (unpublished)", (who, id) -> as(who).get("/api/v1/meetings/" + id + "/ranking").statusCode(),
                        expect(200, 200, 403, 403, 403, 403, 403, 403)),
                new Row("GET /scores", (who, id) -> as(who).get("/api/v1/meetings/" + id + "/scores").statusCode(),
                        expect(200, 200, 200, 200, 200, 200, 200, 200)),
                new Row("GET /briefing", (who, id) -> as(who).get("/api/v1/meetings/" + id + "/briefing").statusCode(),
                        expect(200, 200, 403, 403, 403, 403, 200, 403)),
                new Row("POST /ranking/publish", (who, id) -> {
                    as("scorer").body(List.of(Map.of("townId", TOWN, "criterion", "SITE", "value", 50))).post("/api/v1/meetings/" + id + "/scores");
                    return as(who).post("/api/v1/meetings/" + id + "/ranking/publish").statusCode();
                }, expect(200, 200, 403, 403, 403, 403, 403, 403)),
                new Row("GET /rankings", (who, id) -> as(who).get("/api/v1/rankings").statusCode(), expect(200, 200, 200, 200, 200, 200, 200, 200)));
        List<String> mismatches = new ArrayList<>();
        for (Row row : rows) {
            for (String who : WHO) {
                int actual = row.call().apply(who, observation());
                if (actual != row.expected().get(who)) {
                    mismatches.add(row.endpoint() + " as " + who + ": expected " + row.expected().get(who) + ", got " + actual);
                }
            }
        }
        // published: everyone reads the ranking; statements are the leaders', the office's and the town's own secretary's
        for (String who : WHO) {
            String id = published();
            int ranking = as(who).get("/api/v1/meetings/" + id + "/ranking").statusCode();
            if (ranking != 200) {
                mismatches.add("GET /ranking (published) as " + who + ": got " + ranking);
            }
            String statement = as("leader").get("/api/v1/meetings/" + id + "/statements").then().extract().path("[0].id");
            int record = as(who).body(Map.of("text", "表态", "date", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString()))
                    .post("/api/v1/meetings/" + id + "/statements/" + statement).statusCode();
            int expected = who.equals("sec-own") ? 200 : 403;
            if (record != expected) {
                mismatches.add("POST /statements/{sid} as " + who + ": expected " + expected + ", got " + record);
            }
        }
        assertEquals(List.of(), mismatches);
    }
}
