package app.fivestar.platform.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;
import java.util.UUID;

/**
 * Who is calling, read from the verified bearer token: {@code sub} is the person id, {@code groups} the
 * roles, {@code groupId} / {@code townId} the person's working group and town.
 */
@RequestScoped
public class Caller {

    public static final String GROUP_CLAIM = "groupId";
    public static final String TOWN_CLAIM = "townId";

    @Inject
    JsonWebToken token;

    @Inject
    SecurityIdentity identity;

    public UUID personId() {
        return UUID.fromString(token.getSubject());
    }

    public String username() {
        return token.getName();
    }

    public boolean is(String role) {
        return identity.hasRole(role);
    }

    public Optional<UUID> groupId() {
        return uuidClaim(GROUP_CLAIM);
    }

    public Optional<UUID> townId() {
        return uuidClaim(TOWN_CLAIM);
    }

    private Optional<UUID> uuidClaim(String name) {
        Object value = token.getClaim(name);
        if (value == null) {
            return Optional.empty();
        }
        String text = value.toString().replace("\"", "");
        return text.isBlank() ? Optional.empty() : Optional.of(UUID.fromString(text));
    }
}
