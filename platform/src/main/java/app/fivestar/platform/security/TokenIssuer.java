package app.fivestar.platform.security;

import io.smallrye.jwt.build.Jwt;

import java.security.PrivateKey;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Signs RS256 bearer tokens in the shape the services read (see {@link Caller}). Only the local stack's demo
 * sign-in and the tests use it; production tokens come from an external issuer.
 */
public final class TokenIssuer {

    private final PrivateKey key;
    private final String issuer;

    public TokenIssuer(PrivateKey key, String issuer) {
        this.key = key;
        this.issuer = issuer;
    }

    public String issue(UUID personId, String username, String displayName, Set<String> roles, UUID groupId, UUID townId,
            Duration lifetime) {
        var claims = Jwt.issuer(issuer)
                .subject(personId.toString())
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
