package app.fivestar.platform.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * A body announced larger than {@code quarkus.http.limits.max-body-size} is answered 413 as problem details before a
 * byte of it is read (the HTTP layer's own answer has no body). Bodies sent without a length are still cut off by
 * the HTTP layer at the same limit.
 */
@ApplicationScoped
public class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<io.quarkus.runtime.configuration.MemorySize> limit;

    void install(@Observes Router router) {
        long max = limit.map(io.quarkus.runtime.configuration.MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long announced;
            try {
                announced = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                announced = -1;
            }
            if (announced > max) {
                String body = "{\"type\":\"https://fivestar.app/problems/payload-too-large\",\"title\":\"请求体过大\",\"status\":413,"
                        + "\"detail\":\"请求体最大 " + max + " 字节\",\"instance\":\""
                        + ctx.request().path().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                        .putHeader(HttpHeaders.CONNECTION, "close").end(body);
                return;
            }
            ctx.next();
        });
    }
}
