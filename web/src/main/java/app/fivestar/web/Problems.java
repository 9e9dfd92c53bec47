package app.fivestar.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem details answered by the front door itself, in the services' shape. */
final class Problems {

    static final String TYPE_BASE = "https://fivestar.app/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    static void send(RoutingContext rc, int status, String slug, String title, String detail) {
        if (rc.response().headWritten()) {
            rc.response().reset();
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", rc.request().path());
        try {
            rc.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                    .putHeader("Cache-Control", "no-store").end(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            rc.response().setStatusCode(status).end();
        }
    }

    /** No (valid) session and no bearer token: 401, so that a page's script (and the phone's queue) knows to sign in again. */
    static void unauthenticated(RoutingContext rc) {
        rc.response().putHeader("WWW-Authenticate", "Bearer");
        send(rc, 401, "unauthorized", "未登录或登录已过期", "sign in again (the session is missing or has expired)");
    }
}
