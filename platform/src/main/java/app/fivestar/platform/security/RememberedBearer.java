package app.fivestar.platform.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * The door a remembered bearer token goes through: tried before OIDC's mechanism, it hands a token
 * {@link VerifiedTokens} remembers to the identity providers with the credential OIDC made of it the first time, so
 * OIDC's mechanism does not take the token apart again (it decodes every token's claims to tell a JWT from an opaque
 * token: 6 % of task-service's samples on a close). The providers answer it from memory and every augmentor (the person check)
 * still runs. Any other request (no bearer token, a token not remembered or no longer valid) goes on to OIDC unchanged.
 */
@ApplicationScoped
public class RememberedBearer implements HttpAuthenticationMechanism {

    /** Above OIDC's mechanism ({@code quarkus.oidc.priority}, 1001 unless set). */
    static final int PRIORITY = HttpAuthenticationMechanism.DEFAULT_PRIORITY + 100;

    private static final String BEARER = "Bearer ";

    @Inject
    VerifiedTokens tokens;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        AccessTokenCredential known = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? tokens.remembered(header.substring(BEARER.length()).trim())
                : null;
        if (known == null) {
            return Uni.createFrom().nullItem(); // OIDC's mechanism takes it
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new TokenAuthenticationRequest(known), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem(); // OIDC's challenge
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
