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
 * the HTTP layer at the same limit. Paths that take less (a photo upload) name their own limit in
 * {@code fivestar.http.body-limits}: entries {@code <path regex>=<bytes>}, the first matching one applies.
 */
@ApplicationScoped
public class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<io.quarkus.runtime.configuration.MemorySize> limit;

    @ConfigProperty(name = "fivestar.http.body-limits")
    Optional<java.util.List<String>> pathLimits;

    void install(@Observes Router router) {
        long global = limit.map(io.quarkus.runtime.configuration.MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        java.util.List<java.util.Map.Entry<java.util.regex.Pattern, Long>> paths = pathLimits.orElse(java.util.List.of()).stream().map(entry -> {
            int at = entry.lastIndexOf('=');
            return java.util.Map.entry(java.util.regex.Pattern.compile(entry.substring(0, at).strip()), Long.parseLong(entry.substring(at + 1).strip()));
        }).toList();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            long max = global;
            for (var p : paths) {
                if (p.getKey().matcher(ctx.request().path()).matches()) {
                    max = Math.min(global, p.getValue());
                    break;
                }
            }
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
