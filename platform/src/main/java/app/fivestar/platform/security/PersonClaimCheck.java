package app.fivestar.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
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

    /** Set on the identity of a person the service does not know (see {@link KnownPeople}). */
    public static final String UNKNOWN_PERSON = "fivestar.unknown-person";

    @Inject
    Instance<KnownPeople> knownPeople;

    /** People known a moment ago: a yes is remembered for a minute (a no is asked again: the person may be added). */
    private final ForAWhile<UUID, Boolean> known = new ForAWhile<>(100_000);

    private boolean knownAMomentAgo(UUID id) {
        return known.get(id) != null;
    }

    private boolean knows(UUID id) {
        if (knownAMomentAgo(id)) {
            return true;
        }
        boolean yes = knownPeople.get().knows(id);
        if (yes) {
            known.put(id, Boolean.TRUE, System.currentTimeMillis() + 60_000);
        }
        return yes;
    }

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
            if (knownPeople.isResolvable()) {
                UUID id = person.get();
                if (knownAMomentAgo(id)) {
                    return Uni.createFrom().item(identity); // no hop to a worker thread for what memory answers
                }
                return context.runBlocking(() -> knows(id) ? identity
                        : QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal()).addCredentials(identity.getCredentials())
                                .addAttributes(identity.getAttributes()).addAttribute(UNKNOWN_PERSON, id).setAnonymous(false).build());
            }
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("令牌中的人员、专班或乡镇标识格式不对"));
        }
        return Uni.createFrom().item(identity);
    }
}
