package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The real sign-in path: the local stack with Keycloak, the generated realm, and the three services verifying its
 * tokens by discovery. A demo person's token opens every service; a token for another audience, an expired one, one
 * from another issuer, and one without (or with a malformed) person claim get 401 problem details from all three.
 */
class SignInTest {

    static LocalStack stack;
    static KeycloakAdmin admin;
    static final List<String> SERVICES = List.of("task-service", "review-service", "notification-service");
    /** One read every role may make on each service. */
    static final Map<String, String> PROBE = Map.of("task-service", "/api/v1/groups", "review-service", "/api/v1/meetings",
            "notification-service", "/api/v1/inbox");

    @BeforeAll
    static void start() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        SERVICES.forEach(s -> ports.put(s, FreePorts.pick()));
        stack = LocalStack.start(new LocalStack.Options(Path.of("../..").toAbsolutePath().normalize(), Files.createTempDirectory("fivestar-signin"),
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), ports), System.out);
        admin = new KeycloakAdmin(stack.keycloak().url(), stack.keycloakAdminPassword());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Response call(String service, String token) {
        return given().auth().oauth2(token).get(stack.service(service).url() + PROBE.get(service));
    }

    private static void refusedEverywhere(String token, String why) {
        for (String service : SERVICES) {
            Response r = call(service, token);
            assertEquals(401, r.statusCode(), service + " did not refuse " + why + ": " + r.asString());
            assertEquals("application/problem+json", r.contentType(), service + " answered " + why + " without problem details");
            assertEquals(401, r.jsonPath().getInt("status"));
        }
    }

    @Test
    void aDemoPersonsTokenFromKeycloakOpensEveryService() {
        String token = stack.token("st-cadre");
        assertEquals("00000000-0000-4000-8000-000000000104", Tokens.claim(token, "personId"));
        for (String service : SERVICES) {
            assertEquals(200, call(service, token).statusCode(), service);
        }
        // the roles reach the services: a cadre may not read the dead letters, an administrator may
        given().auth().oauth2(token).get(stack.service("task-service").url() + "/api/v1/admin/dead-letters").then().statusCode(403);
        given().auth().oauth2(stack.token("admin")).get(stack.service("task-service").url() + "/api/v1/admin/dead-letters").then().statusCode(200);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        admin.createClient(Map.of("clientId", "other-app", "publicClient", true, "directAccessGrantsEnabled", true,
                "standardFlowEnabled", false, "protocolMappers", List.of(KeycloakAdmin.attributeMapper("personId"), KeycloakAdmin.rolesMapper())));
        String token = Tokens.passwordGrant(stack.keycloak().issuer(LocalStack.REALM), "other-app", "st-cadre", LocalStack.DEMO_PASSWORD);
        assertNotNull(Tokens.claim(token, "personId"));
        refusedEverywhere(token, "a token for another audience");
    }

    @Test
    void anExpiredTokenIsRefused() {
        admin.createClient(Map.of("clientId", "short-lived", "publicClient", true, "directAccessGrantsEnabled", true,
                "standardFlowEnabled", false, "attributes", Map.of("access.token.lifespan", "6"),
                "protocolMappers", List.of(KeycloakAdmin.attributeMapper("personId"), KeycloakAdmin.rolesMapper(), KeycloakAdmin.audienceMapper("fivestar-api"))));
        String token = Tokens.passwordGrant(stack.keycloak().issuer(LocalStack.REALM), "short-lived", "st-cadre", LocalStack.DEMO_PASSWORD);
        assertEquals(200, call("task-service", token).statusCode(), "a fresh token of this client is good");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> call("task-service", token).statusCode() == 401);
        refusedEverywhere(token, "an expired token");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        // a realm like ours in every claim (person, roles, audience) but its issuer
        admin.createRealm(Map.of("realm", "elsewhere", "enabled", true, "roles", Map.of("realm", List.of(Map.of("name", "CADRE"))),
                "clients", List.of(Map.of("clientId", "fivestar-cli", "publicClient", true, "directAccessGrantsEnabled", true,
                        "standardFlowEnabled", false, "protocolMappers", List.of(KeycloakAdmin.hardcodedClaim("personId",
                                "00000000-0000-4000-8000-000000000104"), KeycloakAdmin.rolesMapper(), KeycloakAdmin.audienceMapper("fivestar-api")))),
                "users", List.of(Map.of("username", "st-cadre", "enabled", true, "firstName", "冒名者", "lastName", "某", "email", "st-cadre@elsewhere.example", "emailVerified", true, "realmRoles", List.of("CADRE"),
                        "credentials", List.of(Map.of("type", "password", "value", "pw-elsewhere", "temporary", false))))));
        String other = Tokens.passwordGrant(stack.keycloak().issuer("elsewhere"), "fivestar-cli", "st-cadre", "pw-elsewhere");
        assertEquals("fivestar-api", Tokens.claim(other, "aud"));
        refusedEverywhere(other, "a token of another realm");
        String master = Tokens.passwordGrant(stack.keycloak().issuer("master"), "admin-cli", "admin", stack.keycloakAdminPassword());
        refusedEverywhere(master, "a token of the master realm");
    }

    @Test
    void aTokenWithoutAPersonOrWithAMalformedOneIsRefused() {
        admin.createUser(LocalStack.REALM, Map.of("username", "nobody-in-the-directory", "enabled", true, "firstName", "无人员标识",
                "realmRoles", List.of("LEADER"),
                "credentials", List.of(Map.of("type", "password", "value", "pw-nobody", "temporary", false))));
        String none = Tokens.passwordGrant(stack.keycloak().issuer(LocalStack.REALM), "fivestar-cli", "nobody-in-the-directory", "pw-nobody");
        refusedEverywhere(none, "a token without the person claim");

        admin.createUser(LocalStack.REALM, Map.of("username", "malformed-person", "enabled", true, "firstName", "人员标识有误",
                "attributes", Map.of("personId", List.of("not-a-uuid")),
                "credentials", List.of(Map.of("type", "password", "value", "pw-malformed", "temporary", false))));
        String malformed = Tokens.passwordGrant(stack.keycloak().issuer(LocalStack.REALM), "fivestar-cli", "malformed-person", "pw-malformed");
        assertEquals("not-a-uuid", Tokens.claim(malformed, "personId"));
        refusedEverywhere(malformed, "a token whose person claim is not a UUID");
    }

    @Test
    void aSignedInPersonTheDirectoryDoesNotKnowIsRefusedWhereServicesKeepPeople() {
        admin.createUser(LocalStack.REALM, Map.of("username", "stranger", "enabled", true, "firstName", "名录外人员",
                "email", "stranger@fivestar.example", "emailVerified", true, "realmRoles", List.of("LEADER"),
                "attributes", Map.of("personId", List.of(java.util.UUID.randomUUID().toString())),
                "credentials", List.of(Map.of("type", "password", "value", "pw-stranger", "temporary", false))));
        admin.grantRealmRole("stranger", "LEADER");   // the admin API takes roles as a mapping of their own
        String token = Tokens.passwordGrant(stack.keycloak().issuer(LocalStack.REALM), "fivestar-cli", "stranger", "pw-stranger");
        for (String service : List.of("task-service", "notification-service")) {
            Response r = call(service, token);
            assertEquals(403, r.statusCode(), service + ": " + r.asString());
            assertEquals("https://fivestar.app/problems/unknown-person", r.jsonPath().getString("type"));
        }
        assertEquals(200, call("review-service", token).statusCode(), "review-service keeps no people: the token's roles count");
    }

    @Test
    void aNewSigningKeyIsPickedUpWithoutARestart() {
        String before = Tokens.header(stack.token("leader"), "kid");
        admin.post("/admin/realms/" + LocalStack.REALM + "/components", Map.of("name", "rotated", "providerId", "rsa-generated",
                "providerType", "org.keycloak.keys.KeyProvider", "config", Map.of("priority", List.of("500"), "keySize", List.of("2048"))));
        String token = Tokens.passwordGrant(stack.keycloak().issuer(LocalStack.REALM), "fivestar-cli", "office", LocalStack.DEMO_PASSWORD);
        String after = Tokens.header(token, "kid");
        assertNotNull(after);
        org.junit.jupiter.api.Assertions.assertNotEquals(before, after, "Keycloak signs with the new key");
        for (String service : SERVICES) {
            assertEquals(200, call(service, token).statusCode(), service + " fetched the new key from the JWKS");
        }
    }

    /** The few calls of Keycloak's admin API these tests make. */
    static final class KeycloakAdmin {
        private final String url;
        private final String password;
        private final HttpClient http = HttpClient.newHttpClient();

        KeycloakAdmin(String url, String password) {
            this.url = url;
            this.password = password;
        }

        void createClient(Map<String, Object> client) {
            post(realmPath("/clients"), client);
        }

        void createRealm(Map<String, Object> realm) {
            post("/admin/realms", realm);
        }

        void createUser(String realm, Map<String, Object> user) {
            post("/admin/realms/" + realm + "/users", user);
        }

        private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        /** Sets one attribute of a client of the fivestar realm (a token lifetime, say). */
        void setClientAttribute(String clientId, String key, String value) {
            var client = (com.fasterxml.jackson.databind.node.ObjectNode) read(send("GET", realmPath("/clients?clientId=" + clientId), null, 200)).get(0);
            client.with("attributes").put(key, value);
            send("PUT", realmPath("/clients/" + client.path("id").asText()), client, 204);
        }

        /** Lets a client send people back to one more address after sign-in and sign-out (a test's proxy in front of the front door). */
        void addRedirectUri(String clientId, String uri) {
            var client = (com.fasterxml.jackson.databind.node.ObjectNode) read(send("GET", realmPath("/clients?clientId=" + clientId), null, 200)).get(0);
            client.withArray("redirectUris").add(uri);
            // and back there after signing out (Keycloak keeps that list as one attribute, "##" between addresses)
            var attributes = client.with("attributes");
            String after = attributes.path("post.logout.redirect.uris").asText("");
            attributes.put("post.logout.redirect.uris", after.isEmpty() ? uri : after + "##" + uri);
            send("PUT", realmPath("/clients/" + client.path("id").asText()), client, 204);
        }

        /** Gives a user of the fivestar realm a realm role (the admin API ignores realmRoles when it makes a user). */
        void grantRealmRole(String username, String role) {
            String id = read(send("GET", realmPath("/users?exact=true&username=" + username), null, 200)).get(0).path("id").asText();
            var mapping = read(send("GET", realmPath("/roles/" + role), null, 200));
            send("POST", realmPath("/users/" + id + "/role-mappings/realm"), List.of(mapping), 204);
        }

        void post(String path, Map<String, Object> body) {
            send("POST", path, body, 201);
        }

        private static String realmPath(String path) {
            return "/admin/realms/" + LocalStack.REALM + path;
        }

        private com.fasterxml.jackson.databind.JsonNode read(String body) {
            try {
                return json.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** One call of the admin API as the master realm's administrator; the answer's status must be {@code expected}. */
        private String send(String method, String path, Object body, int expected) {
            String token = Tokens.passwordGrant(url + "/realms/master", "admin-cli", "admin", password);
            try {
                HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(expected, r.statusCode(), method + " " + path + ": " + r.body());
                return r.body();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        static Map<String, Object> attributeMapper(String attribute) {
            return Map.of("name", attribute, "protocol", "openid-connect", "protocolMapper", "oidc-usermodel-attribute-mapper",
                    "config", Map.of("user.attribute", attribute, "claim.name", attribute, "jsonType.label", "String", "access.token.claim", "true"));
        }

        static Map<String, Object> hardcodedClaim(String claim, String value) {
            return Map.of("name", claim, "protocol", "openid-connect", "protocolMapper", "oidc-hardcoded-claim-mapper",
                    "config", Map.of("claim.name", claim, "claim.value", value, "jsonType.label", "String", "access.token.claim", "true"));
        }

        static Map<String, Object> rolesMapper() {
            return Map.of("name", "roles", "protocol", "openid-connect", "protocolMapper", "oidc-usermodel-realm-role-mapper",
                    "config", Map.of("claim.name", "groups", "multivalued", "true", "jsonType.label", "String", "access.token.claim", "true"));
        }

        static Map<String, Object> audienceMapper(String audience) {
            return Map.of("name", "audience", "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
                    "config", Map.of("included.custom.audience", audience, "access.token.claim", "true"));
        }
    }
}
