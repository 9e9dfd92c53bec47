package app.fivestar.notification;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.ValidatableResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Directory facts and task/review facts put on the real broker the way task-service and review-service would. */
public final class People {

    private People() {
    }

    public record Person(UUID id, String username, Set<String> roles, UUID groupId, UUID townId, String email) {
        public String token() {
            return TestTokens.token(id, username, roles, groupId, townId);
        }

        public ValidatableResponse inbox() {
            return given().auth().oauth2(token()).when().get("/api/v1/inbox?limit=200").then().statusCode(200);
        }
    }

    /** A new person, once the service's directory projection knows them (their token opens the API, events are routed at once). */
    public static Person person(String role, UUID groupId, UUID townId) {
        return known(role, groupId, townId);
    }

    /** A new person, once the service's directory projection knows them (events for them are then routed at once). */
    public static Person known(String role, UUID groupId, UUID townId) {
        UUID id = UUID.randomUUID();
        String username = role.toLowerCase() + "-" + id.toString().substring(0, 8);
        Person p = new Person(id, username, Set.of(role), groupId, townId, username + "@fivestar.example");
        publishPerson(p);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> io.quarkus.narayana.jta.QuarkusTransaction
                .requiringNew().call(() -> app.fivestar.notification.directory.KnownPerson.findById(p.id()) != null));
        return p;
    }

    public static void publishPerson(Person p) {
        CloudEvent e = personEvent(p);
        TestRecords.send(Topics.DIRECTORY_EVENTS, e);
    }

    /** The directory's event that {@code p} now exists as given. */
    public static CloudEvent personEvent(Person p) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("personId", p.id());
        data.put("username", p.username());
        data.put("displayName", "测试 " + p.username());
        data.put("roles", p.roles());
        data.put("groupId", p.groupId());
        data.put("townId", p.townId());
        data.put("phone", null);
        data.put("email", p.email());
        data.put("active", true);
        data.put("villageIds", List.of());
        CloudEvent e = TestRecords.event("/task-service", "directory.person-upserted.v1", p.id().toString(), EventCodec.mapper().valueToTree(data));
        check(e);
        return e;
    }

    public static void group(UUID groupId, UUID leadId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("groupId", groupId);
        data.put("code", "G-" + groupId.toString().substring(0, 6));
        data.put("name", "测试专班");
        data.put("star", "ST");
        data.put("kind", "GROUP");
        data.put("leadId", leadId);
        data.put("patronId", null);
        send(Topics.DIRECTORY_EVENTS, "directory.group-upserted.v1", groupId, data);
    }

    /** A task event made from the contract's example, with the given fields replaced. */
    public static CloudEvent taskEvent(String type, Map<String, Object> fields) {
        ObjectNode data = ContractValidator.examples(type).get(0).deepCopy();
        String taskId = UUID.randomUUID().toString();
        data.put("taskId", taskId);
        fields.forEach((k, v) -> data.set(k, EventCodec.mapper().valueToTree(v)));
        CloudEvent e = TestRecords.event("/task-service", type, data.get("taskId").asText(), data);
        check(e);
        return e;
    }

    public static CloudEvent reviewEvent(String type, Map<String, Object> fields) {
        ObjectNode data = ContractValidator.examples(type).get(0).deepCopy();
        fields.forEach((k, v) -> data.set(k, EventCodec.mapper().valueToTree(v)));
        CloudEvent e = TestRecords.event("/review-service", type, data.get("meetingId").asText(), data);
        check(e);
        return e;
    }

    public static void send(String topic, String type, UUID key, Map<String, Object> data) {
        CloudEvent e = TestRecords.event("/task-service", type, key.toString(), EventCodec.mapper().valueToTree(data));
        check(e);
        TestRecords.send(topic, e);
    }

    /** Every sample this service consumes must follow its contract. */
    static void check(CloudEvent e) {
        List<String> problems = ContractValidator.problems(e);
        if (!problems.isEmpty()) {
            throw new AssertionError(e.type() + " sample breaks its contract: " + problems);
        }
    }

    /** The e-mails the test SMTP server received for one address. */
    public static List<jakarta.mail.internet.MimeMessage> mailsTo(String address) throws Exception {
        List<jakarta.mail.internet.MimeMessage> out = new java.util.ArrayList<>();
        for (jakarta.mail.internet.MimeMessage m : app.fivestar.platform.testing.TestServers.get().mail().received()) {
            if (Set.of(m.getAllRecipients()).stream().anyMatch(a -> a.toString().equals(address))) {
                out.add(m);
            }
        }
        return out;
    }
}
