package app.fivestar.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;
import java.util.UUID;

/**
 * Every service's one check of who a verified token names: a token whose person claim is missing or not a UUID (and
 * whose group or town claim, when present, is not one) is refused as an authentication failure, answered 401
 * problem details, before any endpoint runs.
 */
@ApplicationScoped
public class PersonClaimCheck implements SecurityIdentityAugmentor {

    @ConfigProperty(name = "fivestar.security.claims.person", defaultValue = Caller.PERSON_CLAIM)
    String personClaim;

    @ConfigProperty(name = "fivestar.security.claims.group", defaultValue = Caller.GROUP_CLAIM)
    String groupClaim;

    @ConfigProperty(name = "fivestar.security.claims.town", defaultValue = Caller.TOWN_CLAIM)
    String townClaim;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        try {
            Optional<UUID> person = Caller.uuidClaim(token, personClaim);
            if (person.isEmpty()) {
                return Uni.createFrom().failure(new AuthenticationFailedException("令牌缺少人员标识（" + personClaim + "）"));
            }
            Caller.uuidClaim(token, groupClaim);
            Caller.uuidClaim(token, townClaim);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("令牌中的人员、专班或乡镇标识格式不对"));
        }
        return Uni.createFrom().item(identity);
    }
}
