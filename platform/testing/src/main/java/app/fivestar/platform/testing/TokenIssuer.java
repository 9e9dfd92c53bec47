package app.fivestar.platform.testing;

import app.fivestar.platform.security.Caller;
import io.smallrye.jwt.build.Jwt;

import java.security.PrivateKey;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Signs RS256 bearer tokens with the test key, in the shape the services read (see {@link Caller}), so that tests can
 * exercise every role quickly. Real tokens come from Keycloak (deploy/local's SignInTest goes that way).
 */
public final class TokenIssuer {

    /** The audience the services expect by default ({@code quarkus.oidc.token.audience}). */
    public static final String AUDIENCE = "fivestar-api";

    private final PrivateKey key;
    private final String issuer;

    public TokenIssuer(PrivateKey key, String issuer) {
        this.key = key;
        this.issuer = issuer;
    }

    public String issue(UUID personId, String username, String displayName, Set<String> roles, UUID groupId, UUID townId,
            Duration lifetime) {
        var claims = Jwt.issuer(issuer)
                .audience(AUDIENCE)
                .subject(personId.toString())
                .claim(Caller.PERSON_CLAIM, personId.toString())
                .upn(username)
                .groups(roles)
                .claim("name", displayName == null ? username : displayName)
                .expiresIn(lifetime);
        if (groupId != null) {
            claims.claim(Caller.GROUP_CLAIM, groupId.toString());
        }
        if (townId != null) {
            claims.claim(Caller.TOWN_CLAIM, townId.toString());
        }
        return claims.jws().keyId("fivestar-local").sign(key);
    }
}
