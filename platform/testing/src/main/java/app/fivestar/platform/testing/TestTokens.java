package app.fivestar.platform.testing;

import app.fivestar.platform.security.KeyFiles;
import app.fivestar.platform.security.TokenIssuer;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/** Bearer tokens for tests, signed with the key pair the services of this test JVM trust. */
public final class TestTokens {

    private TestTokens() {
    }

    public static String token(UUID personId, String username, Set<String> roles, UUID groupId, UUID townId) {
        TokenIssuer issuer = new TokenIssuer(KeyFiles.readPrivateKey(TestServers.get().keyDir().resolve(KeyFiles.PRIVATE)),
                PlatformTestResource.ISSUER);
        return issuer.issue(personId, username, username, roles, groupId, townId, Duration.ofHours(1));
    }

    public static String token(String role) {
        return token(UUID.randomUUID(), role.toLowerCase() + "-tester", Set.of(role), null, null);
    }
}
