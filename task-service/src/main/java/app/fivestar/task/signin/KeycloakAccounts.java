package app.fivestar.task.signin;

import app.fivestar.platform.problem.ProblemException;
import app.fivestar.task.directory.Accounts;
import app.fivestar.task.directory.Person;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The directory's people as Keycloak accounts, through Keycloak's admin API with the service account of the client
 * {@code fivestar-accounts} (realm-management: manage-users, view-users, view-realm). A new person gets an account
 * with the same username, the person, group and town ids as attributes, their roles as realm roles, and a one-time
 * password (Keycloak asks for a new one at the first sign-in). Off unless {@code fivestar.accounts.enabled}.
 */
@ApplicationScoped
public class KeycloakAccounts implements Accounts {

    private static final Logger LOG = Logger.getLogger(KeycloakAccounts.class);
    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    @ConfigProperty(name = "fivestar.accounts.enabled", defaultValue = "false")
    boolean enabled;

    /** The realm's issuer URL as this service reaches it, e.g. http://keycloak:8080/realms/fivestar. */
    @ConfigProperty(name = "fivestar.accounts.realm-url")
    Optional<String> realmUrl;

    @ConfigProperty(name = "fivestar.accounts.client-id", defaultValue = "fivestar-accounts")
    String clientId;

    @ConfigProperty(name = "fivestar.accounts.client-secret")
    Optional<String> clientSecret;

    @Inject
    ObjectMapper json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public Outcome sync(List<Person> created, List<Person> updated) {
        List<Issued> issued = new ArrayList<>();
        List<Failed> failed = new ArrayList<>();
        for (Person p : created) {
            try {
                issued.add(reset(p));
            } catch (RuntimeException e) {
                LOG.warnf("no account made for %s: %s", p.username, e.getMessage());
                failed.add(new Failed(p.username, e.getMessage()));
            }
        }
        for (Person p : updated) {
            try {
                Admin admin = admin();
                Optional<String> id = admin.userId(p.username);
                if (id.isPresent()) {
                    admin.update(id.get(), p);
                } else {
                    issued.add(reset(p));
                }
            } catch (RuntimeException e) {
                LOG.warnf("the account of %s was not brought up to date: %s", p.username, e.getMessage());
                failed.add(new Failed(p.username, e.getMessage()));
            }
        }
        return new Outcome(issued, failed);
    }

    @Override
    public Issued reset(Person person) {
        Admin admin = admin();
        String password = oneTimePassword();
        Optional<String> existing = admin.userId(person.username);
        String id;
        if (existing.isPresent()) {
            id = existing.get();
            admin.update(id, person);
            admin.send("PUT", "/users/" + id + "/reset-password", Map.of("type", "password", "value", password, "temporary", true), 204);
        } else {
            Map<String, Object> user = new LinkedHashMap<>(RealmFile.user(person, password, true));
            user.remove("realmRoles");   // the admin API takes roles as a mapping of their own
            admin.send("POST", "/users", user, 201);
            id = admin.userId(person.username).orElseThrow(() -> new IllegalStateException("the account was made but cannot be found"));
        }
        admin.roles(id, person);
        return new Issued(person.username, password);
    }

    private static String oneTimePassword() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    private Admin admin() {
        String realm = realmUrl.orElseThrow(() -> new IllegalStateException("fivestar.accounts.realm-url is not set"));
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret.orElse(""));
        JsonNode token = call(HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(form))), 200);
        URI base = URI.create(realm.replace("/realms/", "/admin/realms/"));
        return new Admin(base.toString(), token.path("access_token").asText());
    }

    private JsonNode call(HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new ProblemException(502, "identity-provider-refused", "登录服务拒绝了请求",
                        "统一身份认证服务返回 " + r.statusCode() + " to " + request.build().uri().getPath());
            }
            return r.body() == null || r.body().isBlank() ? json.nullNode() : json.readTree(r.body());
        } catch (IOException e) {
            throw new ProblemException(503, "identity-provider-unavailable", "登录服务暂不可用",
                    "无法连接统一身份认证服务：" + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String form(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    /** The admin API of the realm, with a service-account token. */
    private final class Admin {
        private final String base;
        private final String token;

        Admin(String base, String token) {
            this.base = base;
            this.token = token;
        }

        JsonNode send(String method, String path, Object body, int expected) {
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
                return call(b, expected);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        Optional<String> userId(String username) {
            JsonNode found = send("GET", "/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8), null, 200);
            return found.isArray() && !found.isEmpty() ? Optional.of(found.get(0).path("id").asText()) : Optional.empty();
        }

        void update(String id, Person person) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("firstName", person.displayName);
            user.put("enabled", person.active);
            user.put("attributes", Claims.attributes(person));
            if (person.email != null) {
                user.put("email", person.email);
            }
            send("PUT", "/users/" + id, user, 204);
            roles(id, person);
        }

        /** The account's realm roles become exactly the person's (of ours; others are left alone). */
        void roles(String id, Person person) {
            JsonNode current = send("GET", "/users/" + id + "/role-mappings/realm", null, 200);
            List<JsonNode> remove = new ArrayList<>();
            current.forEach(r -> {
                if (Claims.ROLES.contains(r.path("name").asText()) && !person.roleSet().contains(r.path("name").asText())) {
                    remove.add(r);
                }
            });
            if (!remove.isEmpty()) {
                send("DELETE", "/users/" + id + "/role-mappings/realm", remove, 204);
            }
            List<JsonNode> add = new ArrayList<>();
            for (String role : person.roleSet()) {
                add.add(send("GET", "/roles/" + URLEncoder.encode(role, StandardCharsets.UTF_8), null, 200));
            }
            if (!add.isEmpty()) {
                send("POST", "/users/" + id + "/role-mappings/realm", add, 204);
            }
        }
    }
}
