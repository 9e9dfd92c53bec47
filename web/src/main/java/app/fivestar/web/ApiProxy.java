package app.fivestar.web;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards {@code /api/**} to the owning service (see {@link Routes}), streaming both ways (server-sent events
 * included). A request that carries {@code Authorization: Bearer} (an API client) passes through untouched; otherwise
 * the signed-in person's access token from the session is put in its place, so tokens never reach JavaScript. No
 * session: 401 problem details, never a redirect. A state-changing call made with the session must carry the client
 * marker header {@code X-Client} (a page of another site cannot set it: CSRF protection besides SameSite=Lax).
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);
    static final String CLIENT_MARKER = "X-Client";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "host", "cookie", "set-cookie", "content-length");
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Inject
    Vertx vertx;

    @Inject
    Config config;

    private final Routes routes = Routes.load();
    private final Map<String, URI> upstreams = new ConcurrentHashMap<>();
    private volatile HttpClient client;

    Routes routes() {
        return routes;
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        request.pause();
        Optional<Routes.Target> target = routes.resolve(request.path());
        if (target.isEmpty()) {
            Problems.send(rc, 404, "not-found", "未找到", "没有服务提供此地址：" + request.path());
            return;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            forward(rc, target.get(), authorization);
            return;
        }
        QuarkusHttpUser.getSecurityIdentity(rc, null).subscribe().with(identity -> {
            AccessTokenCredential token = identity == null || identity.isAnonymous() ? null : identity.getCredential(AccessTokenCredential.class);
            if (token == null) {
                Problems.unauthenticated(rc);
            } else if (!SAFE.contains(request.method()) && request.getHeader(CLIENT_MARKER) == null) {
                Problems.send(rc, 403, "client-marker-required", "请求被拒绝",
                        "通过登录会话进行的修改必须带有 " + CLIENT_MARKER + " 请求头");
            } else {
                forward(rc, target.get(), "Bearer " + token.getToken());
            }
        }, failure -> Problems.unauthenticated(rc));
    }

    private void forward(RoutingContext rc, Routes.Target target, String authorization) {
        HttpServerRequest in = rc.request();
        HttpServerResponse out = rc.response();
        URI upstream = upstream(target.service());
        String query = in.query();
        boolean stream = Optional.ofNullable(in.getHeader(HttpHeaders.ACCEPT)).orElse("").contains("text/event-stream");
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(upstream.getHost()).setPort(upstream.getPort())
                .setURI(target.path() + (query == null ? "" : "?" + query))
                // a stream stays open as long as both ends want it; anything else answers within a minute
                .setIdleTimeout(stream ? 0 : 60_000);
        http().request(options).onSuccess(up -> {
            copyRequestHeaders(in, up, authorization);
            out.closeHandler(v -> left(out, up));
            if (stream) {
                endAtExpiry(out, up, authorization);
            }
            up.response().onSuccess(answer -> relay(answer, out)).onFailure(e -> failed(rc, target, e));
            up.send(in).onFailure(e -> failed(rc, target, e));
        }).onFailure(e -> failed(rc, target, e));
    }

    /**
     * A stream lasts as long as the token it was opened with: at the token's expiry the front door ends it, and the
     * browser's EventSource reconnects by itself with Last-Event-ID, through a session whose token has been renewed
     * (the services replay what came meanwhile). A signed-out or revoked session stops streaming within a token's life.
     */
    private void endAtExpiry(HttpServerResponse out, HttpClientRequest up, String authorization) {
        long expiresAt = expiry(authorization);
        if (expiresAt <= 0) {
            return;
        }
        long delay = Math.max(1_000, expiresAt * 1000 - System.currentTimeMillis());
        long timer = vertx.setTimer(delay, id -> {
            up.reset();
            if (!out.ended() && !out.closed()) {
                out.end();
            }
        });
        out.endHandler(v -> vertx.cancelTimer(timer));
        out.closeHandler(v -> {
            vertx.cancelTimer(timer);
            left(out, up);
        });
    }

    /**
     * The browser's side closed: if it left before the answer was complete, the request to the service goes too. An
     * HTTP/2 stream also closes after a complete answer, and resetting the service's request then would close a
     * connection that is kept alive for the next request: one closed after every answer over HTTP/2, and now and then
     * a next request handed that connection while it closed (a 502).
     */
    private static void left(HttpServerResponse out, HttpClientRequest up) {
        if (!out.ended()) {
            up.reset();
        }
    }

    /** A JWT's exp (seconds), read without verifying: the service verifies it; 0 when there is none. */
    static long expiry(String authorization) {
        try {
            String[] parts = authorization.substring(7).split("\\.");
            String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"exp\"\\s*:\\s*([0-9]+)").matcher(payload);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static void copyRequestHeaders(HttpServerRequest in, HttpClientRequest up, String authorization) {
        MultiMap headers = up.headers();
        in.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.equals("authorization")) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        headers.set(HttpHeaders.AUTHORIZATION, authorization);
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            headers.set(HttpHeaders.CONTENT_LENGTH, length);
        } else if (in.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            up.setChunked(true);
        }
        headers.set("X-Forwarded-Host", Optional.ofNullable(in.authority()).map(Object::toString).orElse(""));
        headers.set("X-Forwarded-Proto", in.scheme());
        if (in.remoteAddress() != null) {
            headers.set("X-Forwarded-For", in.remoteAddress().hostAddress());
        }
    }

    private static void relay(HttpClientResponse answer, HttpServerResponse out) {
        if (out.closed() || out.ended()) {
            answer.request().reset();
            return;
        }
        out.setStatusCode(answer.statusCode());
        answer.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        String type = Optional.ofNullable(answer.getHeader(HttpHeaders.CONTENT_TYPE)).orElse("");
        boolean compressible = answer.getHeader(HttpHeaders.CONTENT_ENCODING) == null && (type.startsWith("application/json")
                || type.startsWith("application/problem+json"));
        String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (compressible) {
            // Quarkus marks every answer "identity" (not compressed); a JSON answer may be gzipped on its way out
            // (its length is then the compressed one's, so it goes chunked)
            out.headers().remove(HttpHeaders.CONTENT_ENCODING);
            out.setChunked(true);
        } else if (length != null) {
            out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            out.setChunked(true);
            // a stream's headers go out now, not with its first event: the browser's EventSource opens at once
            out.writeHead();
        }
        answer.pipeTo(out);
    }

    private void failed(RoutingContext rc, Routes.Target target, Throwable e) {
        if (rc.response().headWritten()) {
            rc.response().reset();
            return;
        }
        LOG.warnf("%s could not be reached for %s: %s", target.service(), target.path(), e.toString());
        Problems.send(rc, 502, "service-unavailable", "服务暂不可用", target.service() + " 暂时无法连接，请稍后重试");
    }

    private URI upstream(String service) {
        return upstreams.computeIfAbsent(service, s -> URI.create(config.getOptionalValue("fivestar.upstreams." + s, String.class)
                .orElseThrow(() -> new IllegalStateException("no address for " + s + ": set fivestar.upstreams." + s))));
    }

    private HttpClient http() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                            .setConnectTimeout(5_000).setTcpNoDelay(true));
                }
                c = client;
            }
        }
        return c;
    }
}
