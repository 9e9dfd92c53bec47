package app.fivestar.notification.webhook;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.testing.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Webhooks cannot be aimed inside the network (SSRF): every loopback, private, link-local and unspecified target is
 * refused in any spelling, as are credentials in the URL and hosts that do not resolve; a public one is accepted.
 * Names resolve through the test's own table: no DNS, nothing sent off loopback.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class WebhookTargetsTest {

    @Inject
    WebhookTargets targets;

    Person cadre;

    @BeforeEach
    void names() {
        targets.useResolver(host -> switch (host) {
            case "hooks.public.test" -> List.of(InetAddress.getByAddress(host, new byte[] {(byte) 203, 0, 113, 10}));
            case "rebind.test" -> List.of(InetAddress.getByAddress(host, new byte[] {(byte) 203, 0, 113, 11}),
                    InetAddress.getByAddress(host, new byte[] {(byte) 192, (byte) 168, 1, 10}));
            case "intranet.test" -> List.of(InetAddress.getByAddress(host, new byte[] {10, 1, 2, 3}));
            default -> {
                if (host.matches("[0-9.]+|[0-9a-f:]+")) {
                    yield List.of(InetAddress.getByName(host)); // a literal: no lookup
                }
                throw new UnknownHostException(host);
            }
        });
        cadre = People.person("CADRE", UUID.randomUUID(), null);
    }

    @AfterEach
    void dns() {
        targets.useResolver(null);
    }

    @Test
    void internalTargetsAreRefusedInEverySpelling() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://localhost:8083/api/v1/inbox", "http://127.0.0.2/",
                "http://[::1]:8081/", "http://2130706433/", "http://0.0.0.0:8082/", "http://10.0.0.5/hook", "http://192.168.1.1/",
                "http://172.16.0.1/", "http://[fd00::1]/", "http://100.64.0.1/", "https://intranet.test/hook", "https://rebind.test/hook")) {
            register(url).statusCode(422).contentType("application/problem+json").body("violations[0].field", equalTo("url"));
        }
        register("https://user:password@hooks.public.test/hook").statusCode(422).body("detail", containsString("用户名或密码"));
        register("https://nowhere.test/hook").statusCode(422).body("detail", containsString("无法解析"));
        register("ftp://hooks.public.test/").statusCode(400);
    }

    @Test
    void aPublicTargetIsAccepted() {
        register("https://hooks.public.test/robot/send?access_token=abc").statusCode(201);
    }

    @Test
    void onlyTheOfficeSetsUpAGroupsChannel() {
        UUID group = UUID.randomUUID();
        Person lead = People.person("GROUP_LEAD", group, null);
        given().auth().oauth2(lead.token()).contentType(ContentType.JSON)
                .body(Map.of("url", "https://hooks.public.test/robot", "format", "DINGTALK", "groupId", group))
                .post("/api/v1/webhooks").then().statusCode(403);
        Person office = People.person("OFFICE", null, null);
        given().auth().oauth2(office.token()).contentType(ContentType.JSON)
                .body(Map.of("url", "https://hooks.public.test/robot", "format", "DINGTALK", "groupId", group))
                .post("/api/v1/webhooks").then().statusCode(201);
    }

    @Test
    void aNameRepointedAtLoopbackAfterRegistrationIsRefusedAtSendTime() throws Exception {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer inside = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        inside.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        inside.start();
        try {
            Person leader = People.known("LEADER", null, null);
            given().auth().oauth2(leader.token()).contentType(ContentType.JSON)
                    .body(Map.of("url", "http://hooks.public.test:" + inside.getAddress().getPort() + "/hook", "format", "GENERIC"))
                    .post("/api/v1/webhooks").then().statusCode(201);
            // DNS rebinding: the same name now answers with the loopback address
            targets.useResolver(host -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})));
            app.fivestar.platform.testing.TestRecords.send(app.fivestar.platform.events.Topics.TASK_EVENTS,
                    People.taskEvent("task.escalated.v1", Map.of("targetPersonId", leader.id(), "level", 3, "title", "重绑定")));
            String admin = app.fivestar.notification.People.known("ADMIN", null, null).token();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> given().auth().oauth2(admin)
                    .get("/api/v1/deliveries?status=FAILED&size=200").then().extract().jsonPath()
                    .<String>getList("findAll { it.recipientId == '" + leader.id() + "' && it.channel == 'WEBHOOK' }.lastError"),
                    errors -> errors.size() == 1 && errors.get(0).contains("回环"));
            org.junit.jupiter.api.Assertions.assertEquals(List.of(1), given().auth().oauth2(admin).get("/api/v1/deliveries?status=FAILED&size=200")
                    .then().extract().jsonPath().<Integer>getList("findAll { it.recipientId == '" + leader.id() + "' && it.channel == 'WEBHOOK' }.attempts"),
                    "a refused target is not tried again");
            org.junit.jupiter.api.Assertions.assertEquals(0, requests.get(), "nothing reached the internal address");
        } finally {
            inside.stop(0);
        }
    }

    io.restassured.response.ValidatableResponse register(String url) {
        return given().auth().oauth2(cadre.token()).contentType(ContentType.JSON).body(Map.of("url", url, "format", "GENERIC"))
                .post("/api/v1/webhooks").then();
    }
}
