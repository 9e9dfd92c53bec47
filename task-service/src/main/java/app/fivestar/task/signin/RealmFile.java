package app.fivestar.task.signin;

import app.fivestar.task.demo.DemoDirectory;
import app.fivestar.task.directory.Person;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Keycloak realm {@code fivestar}, generated from the demo directory at build time
 * ({@code task-service/target/keycloak/fivestar-realm.json}) and imported by Keycloak on its first start: every demo
 * person is a user with the same username, the six roles are realm roles, and the person, group and town ids reach
 * the access token as claims. {@code ${...}} placeholders (the demo password, the front door's address and client
 * secret) are filled in by Keycloak from its environment when it imports the file.
 */
public final class RealmFile {

    public static final String REALM = "fivestar";
    public static final String WEB_CLIENT = "fivestar-web";
    public static final String CLI_CLIENT = "fivestar-cli";
    public static final String AUDIENCE = "fivestar-api";
    public static final String ACCOUNTS_CLIENT = "fivestar-accounts";

    private RealmFile() {
    }

    public static Map<String, Object> realm() {
        Map<String, Object> realm = new LinkedHashMap<>();
        realm.put("realm", REALM);
        realm.put("displayName", "五星支部创建");
        realm.put("enabled", true);
        realm.put("sslRequired", "none");
        realm.put("internationalizationEnabled", true);
        realm.put("supportedLocales", List.of("zh-CN", "en"));
        realm.put("defaultLocale", "zh-CN");
        realm.put("accessTokenLifespan", 300);
        realm.put("ssoSessionIdleTimeout", 8 * 3600);
        realm.put("ssoSessionMaxLifespan", 12 * 3600);
        realm.put("bruteForceProtected", true);
        realm.put("roles", Map.of("realm", Claims.ROLES.stream().map(r -> Map.of("name", r)).toList()));
        realm.put("clients", List.of(webClient(), cliClient(), accountsClient()));
        realm.put("components", Map.of("org.keycloak.userprofile.UserProfileProvider", List.of(Map.of(
                "providerId", "declarative-user-profile",
                "config", Map.of("kc.user.profile.config", List.of(userProfile()))))));
        List<Map<String, Object>> users = new ArrayList<>(DemoDirectory.build().people().stream()
                .map(p -> user(p, "${FIVESTAR_DEMO_PASSWORD}", false)).toList());
        // the service account task-service keeps the directory's people as accounts with (KeycloakAccounts)
        users.add(Map.of("username", "service-account-" + ACCOUNTS_CLIENT, "enabled", true, "serviceAccountClientId", ACCOUNTS_CLIENT,
                "clientRoles", Map.of("realm-management", List.of("manage-users", "view-users", "view-realm"))));
        realm.put("users", users);
        return realm;
    }

    /** A Keycloak user for a person of the directory, with a password ({@code temporary}: to be changed at first sign-in). */
    public static Map<String, Object> user(Person person, String password, boolean temporary) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", person.username);
        user.put("enabled", person.active);
        user.put("firstName", person.displayName);
        if (person.email != null) {
            user.put("email", person.email);
            user.put("emailVerified", true);
        }
        user.put("attributes", Claims.attributes(person));
        user.put("realmRoles", new ArrayList<>(person.roleSet()));
        user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", temporary)));
        return user;
    }

    private static Map<String, Object> webClient() {
        Map<String, Object> client = client(WEB_CLIENT, "五星支部创建（网页）");
        client.put("publicClient", false);
        client.put("secret", "${FIVESTAR_WEB_CLIENT_SECRET}");
        client.put("standardFlowEnabled", true);
        client.put("directAccessGrantsEnabled", false);
        client.put("rootUrl", "${FIVESTAR_FRONT_DOOR}");
        client.put("redirectUris", List.of("${FIVESTAR_FRONT_DOOR}/*"));
        client.put("webOrigins", List.of("+"));
        client.put("attributes", Map.of("pkce.code.challenge.method", "S256",
                "post.logout.redirect.uris", "${FIVESTAR_FRONT_DOOR}/*"));
        return client;
    }

    /** Demo only: lets the README's curl walk-through get a token for a demo person with a password grant. */
    private static Map<String, Object> cliClient() {
        Map<String, Object> client = client(CLI_CLIENT, "命令行（仅演示）");
        client.put("publicClient", true);
        client.put("standardFlowEnabled", false);
        client.put("directAccessGrantsEnabled", true);
        return client;
    }

    /** task-service's own: makes the accounts of people added to the directory later (client credentials). */
    private static Map<String, Object> accountsClient() {
        Map<String, Object> client = client(ACCOUNTS_CLIENT, "账号同步（task-service）");
        client.put("publicClient", false);
        client.put("secret", "${FIVESTAR_ACCOUNTS_CLIENT_SECRET}");
        client.put("standardFlowEnabled", false);
        client.put("directAccessGrantsEnabled", false);
        client.put("serviceAccountsEnabled", true);
        return client;
    }

    private static Map<String, Object> client(String id, String name) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", id);
        client.put("name", name);
        client.put("enabled", true);
        client.put("protocol", "openid-connect");
        client.put("fullScopeAllowed", true);
        client.put("protocolMappers", Claims.mappers(AUDIENCE));
        return client;
    }

    /** Keycloak's default profile, with first and last name optional and our id attributes kept for administrators. */
    private static String userProfile() {
        Map<String, Object> adminOnly = Map.of("view", List.of("admin"), "edit", List.of("admin"));
        Map<String, Object> everyone = Map.of("view", List.of("admin", "user"), "edit", List.of("admin", "user"));
        List<Object> attributes = new ArrayList<>();
        attributes.add(Map.of("name", "username", "displayName", "${username}", "permissions", everyone,
                "validations", Map.of("length", Map.of("min", 1, "max", 255), "username-prohibited-characters", Map.of())));
        attributes.add(Map.of("name", "email", "displayName", "${email}", "permissions", everyone,
                "validations", Map.of("email", Map.of(), "length", Map.of("max", 255))));
        attributes.add(Map.of("name", "firstName", "displayName", "${firstName}", "permissions", everyone,
                "validations", Map.of("length", Map.of("max", 255))));
        attributes.add(Map.of("name", "lastName", "displayName", "${lastName}", "permissions", everyone,
                "validations", Map.of("length", Map.of("max", 255))));
        for (String name : Claims.ATTRIBUTES) {
            attributes.add(Map.of("name", name, "displayName", name, "permissions", adminOnly));
        }
        try {
            return new ObjectMapper().writeValueAsString(Map.of("attributes", attributes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the realm file: {@code RealmFile <file>} (run by task-service's build). */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "target/keycloak/fivestar-realm.json");
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), realm());
    }
}
