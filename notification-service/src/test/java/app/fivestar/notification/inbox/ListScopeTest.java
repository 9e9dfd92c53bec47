package app.fivestar.notification.inbox;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.platform.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each person gets from the lists, row by row, over two groups: their own inbox, their own deliveries, their
 * own and their group's webhooks — never another group's; an administrator sees every delivery.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class ListScopeTest {

    @Test
    void eachPersonListsOnlyTheirOwnRows() {
        UUID groupA = UUID.randomUUID();
        UUID groupB = UUID.randomUUID();
        Person a = known("LEADER", groupA);
        Person a2 = known("CADRE", groupA);
        Person b = known("LEADER", groupB);
        Person office = known("OFFICE", null);
        String hookA = webhook(a, null, "http://127.0.0.1:9/a");
        String hookGroupA = webhook(office, groupA, "http://127.0.0.1:9/group-a");
        String hookB = webhook(b, null, "http://127.0.0.1:9/b");
        String hookGroupB = webhook(office, groupB, "http://127.0.0.1:9/group-b");
        for (Person p : List.of(a, b)) {
            TestRecords.send(Topics.TASK_EVENTS, People.taskEvent("task.escalated.v1", Map.of("targetPersonId", p.id(), "level", 3, "title", "名单 " + p.username())));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            a.inbox().body("items.title", org.hamcrest.Matchers.hasItem("督办（第3级）：名单 " + a.username()));
            b.inbox().body("items.title", org.hamcrest.Matchers.hasItem("督办（第3级）：名单 " + b.username()));
        });
        assertEquals(Set.of("督办（第3级）：名单 " + a.username()), set(a.inbox().extract().jsonPath().getList("items.title", String.class)),
                "a's inbox holds only a's message");
        assertEquals(Set.of(), set(a2.inbox().extract().jsonPath().getList("items.title", String.class)), "nothing of a's for a2");

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(app.fivestar.notification.People.known("ADMIN", null, null).token()).containsAll(Set.of(a.id().toString(), b.id().toString())));
        assertEquals(Set.of(a.id().toString()), deliveries(a.token()), "a sees only a's deliveries");
        assertEquals(Set.of(b.id().toString()), deliveries(b.token()));
        assertEquals(Set.of(), deliveries(a2.token()));

        assertEquals(Set.of(hookA, hookGroupA), webhooks(a), "a's own and a's group's");
        assertEquals(Set.of(hookGroupA), webhooks(a2), "a group member sees the group's channel, not a colleague's own");
        assertEquals(Set.of(hookB, hookGroupB), webhooks(b));
        assertTrue(!webhooks(b).contains(hookA) && !webhooks(b).contains(hookGroupA));
    }

    static Person known(String role, UUID group) {
        return People.known(role, group, null);
    }

    static String webhook(Person owner, UUID group, String url) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("url", url, "format", "GENERIC"));
        if (group != null) {
            body.put("groupId", group);
        }
        return given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
    }

    static Set<String> deliveries(String token) {
        return set(given().auth().oauth2(token).get("/api/v1/deliveries?size=200").then().statusCode(200).extract().jsonPath()
                .getList("recipientId", String.class));
    }

    static Set<String> webhooks(Person p) {
        return set(given().auth().oauth2(p.token()).get("/api/v1/webhooks").then().statusCode(200).extract().jsonPath().getList("id", String.class));
    }

    static Set<String> set(List<String> l) {
        return new HashSet<>(l);
    }
}
