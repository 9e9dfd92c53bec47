package app.fivestar.platform.testing;




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

    /**
     * A token signed with the test key carrying exactly {@code claims} (plus {@code iss}, {@code exp} and {@code aud}
     * unless given): for tests of what the services refuse.
     */
    public static String signed(java.util.Map<String, Object> claims) {
        java.util.Map<String, Object> all = new java.util.HashMap<>();
        all.put("iss", PlatformTestResource.ISSUER);
        all.put("aud", TokenIssuer.AUDIENCE);
        all.put("exp", java.time.Instant.now().plusSeconds(3600).getEpochSecond());
        all.putAll(claims);
        return io.smallrye.jwt.build.Jwt.claims(all).jws().keyId("fivestar-local")
                .sign(KeyFiles.readPrivateKey(TestServers.get().keyDir().resolve(KeyFiles.PRIVATE)));
    }

    public static String token(String role) {
        return token(UUID.randomUUID(), role.toLowerCase() + "-tester", Set.of(role), null, null);
    }
}
