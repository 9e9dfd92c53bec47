package app.fivestar.platform.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;
import java.util.UUID;

/**
 * Who is calling, read from the verified access token: the person id, the person's working group and town from
 * the claims configured in {@code fivestar.security.claims.*}, the roles from {@code groups}. A token without a
 * well-formed person claim never gets this far ({@link PersonClaimCheck} answers 401).
 */
@RequestScoped
public class Caller {

    /** The default claim names (what the generated Keycloak realm issues). */
    public static final String PERSON_CLAIM = "personId";
    public static final String GROUP_CLAIM = "groupId";
    public static final String TOWN_CLAIM = "townId";

    @Inject
    JsonWebToken token;

    @Inject
    SecurityIdentity identity;

    @ConfigProperty(name = "fivestar.security.claims.person", defaultValue = PERSON_CLAIM)
    String personClaim;

    @ConfigProperty(name = "fivestar.security.claims.group", defaultValue = GROUP_CLAIM)
    String groupClaim;

    @ConfigProperty(name = "fivestar.security.claims.town", defaultValue = TOWN_CLAIM)
    String townClaim;

    public UUID personId() {
        return uuidClaim(token, personClaim).orElseThrow(() -> new io.quarkus.security.AuthenticationFailedException(
                "the token carries no person claim " + personClaim));
    }

    public String username() {
        return token.getName();
    }

    public boolean is(String role) {
        return identity.hasRole(role);
    }

    public Optional<UUID> groupId() {
        return uuidClaim(token, groupClaim);
    }

    public Optional<UUID> townId() {
        return uuidClaim(token, townClaim);
    }

    /** The claim as a UUID; empty when absent or blank; {@link IllegalArgumentException} when it is not a UUID. */
    static Optional<UUID> uuidClaim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        if (value == null) {
            return Optional.empty();
        }
        String text = value.toString().replace("\"", "").trim();
        return text.isBlank() ? Optional.empty() : Optional.of(UUID.fromString(text));
    }
}
