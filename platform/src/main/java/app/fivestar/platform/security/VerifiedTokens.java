package app.fivestar.platform.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.concurrent.atomic.LongAdder;

/**
 * A bearer token is verified once, not on every request. A phone or the console sends the same access token for
 * minutes; checking its RSA signature and parsing its claims again each time was a quarter of the CPU a close cost.
 *
 * <p>As an augmentor (run first, on the identity OIDC made of a verified token) it remembers that identity under the
 * exact token text, until the token expires and for {@link #AT_MOST_MILLIS} at most (so a token signed with a key
 * Keycloak has dropped is verified in full again within a minute). As an identity provider tried before OIDC's
 * it answers a request whose token text is remembered and still valid with that identity, given this request's routing
 * context; anything else (another token, an expired one, a forged one) goes on to OIDC's full verification. Such a
 * request reaches the providers through {@link RememberedBearer}, before OIDC's mechanism parses the token. Every
 * augmentor after this one (the person check) still runs on every request. Real time, not the demo clock: OIDC checks
 * expiry against real time too.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest>, SecurityIdentityAugmentor {

    /** The longest a verified token is answered from memory. */
    static final long AT_MOST_MILLIS = 60_000;

    /**
     * Remembered tokens at most (each a few kB with its claims: ~10 MB in all); past it the memory starts over and the
     * next request of each person is verified in full again.
     */
    static final int CAPACITY = 2_000;

    private final ForAWhile<String, SecurityIdentity> verified = new ForAWhile<>(CAPACITY);
    private final LongAdder answered = new LongAdder();

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /**
     * Before OIDC's provider (the default {@code IdentityProvider} priority, 1001) and before the other augmentors (0,
     * the person check): this one must see OIDC's identity as made.
     */
    @Override
    public int priority() {
        return IdentityProvider.SYSTEM_FIRST + 1000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!(request.getToken() instanceof AccessTokenCredential token)) {
            return Uni.createFrom().nullItem();
        }
        SecurityIdentity known = verified.get(token.getToken());
        if (known == null) {
            return Uni.createFrom().nullItem(); // OIDC verifies it
        }
        return Uni.createFrom().item(withRequest(known, HttpSecurityUtils.getRoutingContextAttribute(request)));
    }

    /** The identity with the request's own routing context (as OIDC sets it), or none while remembered. */
    private static SecurityIdentity withRequest(SecurityIdentity identity, RoutingContext rc) {
        return QuarkusSecurityIdentity.builder(identity)
                .addAttribute(RoutingContext.class.getName(), rc)
                .addAttribute(HttpSecurityUtils.ROUTING_CONTEXT_ATTRIBUTE, rc)
                .addAttribute(AuthenticationRequestContext.class.getName(), rc == null ? null : rc.get(AuthenticationRequestContext.class.getName()))
                .build();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
        if (!identity.isAnonymous() && token != null && identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            if (verified.get(token.getToken()) == null) { // not an answer from memory: OIDC has just verified it
                verified.put(token.getToken(), withRequest(identity, null),
                        Math.min(jwt.getExpirationTime() * 1000, System.currentTimeMillis() + AT_MOST_MILLIS));
            }
        }
        return Uni.createFrom().item(identity);
    }

    /**
     * The credential OIDC made of this token text when it verified it, while the token is remembered and valid; else
     * null. What {@link RememberedBearer} hands on instead of taking the token apart again.
     */
    AccessTokenCredential remembered(String token) {
        SecurityIdentity known = verified.get(token);
        if (known == null) {
            return null;
        }
        answered.increment();
        return known.getCredential(AccessTokenCredential.class);
    }

    /** Requests answered from memory since the start, at the door before OIDC's mechanism (what TokenChecksTest looks at). */
    public long answered() {
        return answered.sum();
    }
}
