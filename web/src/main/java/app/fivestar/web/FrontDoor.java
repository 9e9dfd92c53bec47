package app.fivestar.web;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one origin people use: the browser apps (served from the jar's static resources; page navigations need a
 * session and go through Keycloak's login page and back, see application.properties), {@code /api/**} forwarded
 * by {@link ApiProxy}, sign-out at {@code /logout} (ends the Keycloak session too). A person whose roles do not
 * open a page gets a Chinese "no permission" page; under {@code /api} every refusal is problem details.
 */
@ApplicationScoped
public class FrontDoor {

    @Inject
    ApiProxy proxy;

    private final String forbiddenPage = resource("/forbidden.html");

    private final Pages pages = Pages.load();

    void routes(@Observes Router router) {
        router.get("/api/session").order(1000).handler(this::session);
        // Vert.x matches "/m" to "/m/" too: only the bare one is sent on
        router.getWithRegex(java.util.regex.Pattern.quote("/m")).order(1000).handler(rc -> rc.redirect("/m/"));
        // the console's pages are one page (the Vue app reads the address: /meetings/{id} too), each open to the roles
        // pages.properties names
        for (String page : pages.paths()) {
            if (!page.equals("/")) {
                router.getWithRegex(java.util.regex.Pattern.quote(page) + "(/.*)?").order(1000).handler(rc -> consolePage(rc, page));
            }
        }
        // one page per kind of thing a message links to: the page reads the id from its own address
        router.getWithRegex("/tasks/[^/]+").order(1000).handler(rc -> rc.reroute("/tasks/"));
        // the phone app's own pages are one page too: its script reads the address
        router.getWithRegex("/m/(tasks/[^/]+|claim|inbox|me)").order(1000).handler(rc -> rc.reroute("/m/"));
        router.route("/api/*").order(1001).handler(proxy::handle);
        router.route().order(-200).failureHandler(this::failed);
    }

    /** Who is signed in, for the pages' headers: name, username, roles. */
    private void session(RoutingContext rc) {
        io.quarkus.vertx.http.runtime.security.QuarkusHttpUser.getSecurityIdentity(rc, null).subscribe().with(identity -> {
            if (identity == null || identity.isAnonymous()) {
                Problems.unauthenticated(rc);
                return;
            }
            java.util.Map<String, Object> me = new java.util.LinkedHashMap<>();
            String username = identity.getPrincipal().getName();
            String name = username;
            java.util.Map<String, Object> place = new java.util.LinkedHashMap<>();
            if (identity.getPrincipal() instanceof org.eclipse.microprofile.jwt.JsonWebToken jwt) {
                username = java.util.Objects.requireNonNullElse(jwt.getClaim("preferred_username"), username);
                name = java.util.Objects.requireNonNullElse(jwt.getClaim("name"), username);
                // the directory's ids the identity provider puts in the tokens (the console's "my group" pages need them)
                for (String claim : new String[] {"personId", "groupId", "townId"}) {
                    Object value = jwt.getClaim(claim);
                    place.put(claim, value == null ? null : value.toString());
                }
            }
            me.put("username", username);
            me.put("name", name);
            me.putAll(place);
            me.put("roles", new java.util.TreeSet<>(identity.getRoles()));
            me.put("pages", pages.openedBy(identity.getRoles()));
            try {
                rc.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                        .end(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(me));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                rc.fail(e);
            }
        }, failure -> Problems.unauthenticated(rc));
    }

    private void consolePage(RoutingContext rc, String page) {
        io.quarkus.security.identity.SecurityIdentity identity = rc.user() instanceof io.quarkus.vertx.http.runtime.security.QuarkusHttpUser u
                ? u.getSecurityIdentity() : null;
        if (identity == null || !pages.opens(page, identity.getRoles())) {
            rc.response().setStatusCode(403).putHeader("Content-Type", "text/html; charset=utf-8").end(forbiddenPage);
        } else {
            rc.reroute("/");
        }
    }

    private void failed(RoutingContext rc) {
        Throwable failure = rc.failure();
        boolean api = rc.request().path().startsWith("/api/");
        if (api && (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException || rc.statusCode() == 401)) {
            Problems.unauthenticated(rc);
        } else if (failure instanceof ForbiddenException || rc.statusCode() == 403) {
            if (api) {
                Problems.send(rc, 403, "forbidden", "没有权限", "您的角色无权访问");
            } else {
                rc.response().setStatusCode(403).putHeader("Content-Type", "text/html; charset=utf-8").end(forbiddenPage);
            }
        } else {
            rc.next();
        }
    }

    private static String resource(String name) {
        try (InputStream in = FrontDoor.class.getResourceAsStream(name)) {
            return in == null ? "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><h1>没有权限</h1></html>"
                    : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
