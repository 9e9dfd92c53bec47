package app.fivestar.platform.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.regex.Pattern;

/**
 * A NUL character (or another control character) in the path or the query — percent-encoded, as {@code %00} — is a
 * 400 problem detail before any handler sees it: PostgreSQL cannot store or compare one, and no id, code or filter of
 * ours contains one. (NUL inside JSON strings: {@link NoNulInJson}.)
 */
@ApplicationScoped
public class NoNulInUri {

    static final Pattern CONTROL = Pattern.compile("%(0[0-9a-fA-F]|1[0-9a-fA-F]|7[fF])");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String uri = ctx.request().uri();
            if (CONTROL.matcher(uri).find()) {
                ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                        .end("{\"type\":\"https://fivestar.app/problems/bad-request\",\"title\":\"请求无效\",\"status\":400,"
                                + "\"detail\":\"地址或查询参数中不能包含控制字符（如 %00）\"}");
                return;
            }
            ctx.next();
        });
    }
}
