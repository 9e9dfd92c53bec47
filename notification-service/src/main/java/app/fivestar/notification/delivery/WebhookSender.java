package app.fivestar.notification.delivery;

import app.fivestar.notification.inbox.Notification;
import app.fivestar.notification.webhook.Webhook;
import app.fivestar.notification.webhook.WebhookTargets;
import app.fivestar.platform.tracing.Tracing;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import java.net.URLEncoder;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Posts a notification to a webhook in its format — generic JSON, or the DingTalk / WeCom group-robot
 * messages — signed with HMAC-SHA256 of the body ({@code X-Fivestar-Signature: sha256=<hex>}); DingTalk's own
 * timestamp signature is added to its URL. {@code X-Fivestar-Delivery} lets a receiver drop repeats; {@code traceparent}
 * continues the trace of the event the notification answers.
 */
@ApplicationScoped
public class WebhookSender {

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "fivestar.delivery.timeout")
    Duration timeout;

    @ConfigProperty(name = "fivestar.links.base-url")
    String baseUrl;

    @Inject
    Vertx vertx;

    @Inject
    WebhookTargets targets;

    private volatile HttpClient http;

    /** Sends; throws with a readable reason when the endpoint does not answer 2xx. */
    public void send(Delivery d, Webhook hook, Notification n) throws Exception {
        String link = n.link == null ? null : baseUrl + n.link;
        Object body = switch (hook.format) {
            case GENERIC -> generic(d, n, link);
            case DINGTALK -> Map.of("msgtype", "markdown", "markdown", Map.of("title", n.title,
                    "text", "### " + n.title + "\n\n" + n.body + (link == null ? "" : "\n\n[查看详情](" + link + ")")));
            case WECOM -> Map.of("msgtype", "markdown", "markdown", Map.of("content",
                    "**" + n.title + "**\n" + n.body + (link == null ? "" : "\n[查看详情](" + link + ")")));
        };
        String payload = write(body);
        String url = hook.url;
        if (hook.format == Webhook.Format.DINGTALK) {
            long timestamp = System.currentTimeMillis();
            String sign = Base64.getEncoder().encodeToString(hmac(hook.secret, timestamp + "\n" + hook.secret));
            url += (url.contains("?") ? "&" : "?") + "timestamp=" + timestamp + "&sign=" + URLEncoder.encode(sign, StandardCharsets.UTF_8);
        }
        // checked again now, and the request goes to the address that was checked: the name cannot be re-pointed
        // at an internal address between the check and the connection
        WebhookTargets.Target target = targets.check(url);
        String path = target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty() ? "/" : target.uri().getRawPath();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setHost(target.uri().getHost().replace("[", "").replace("]", "")).setPort(target.port()).setSsl(target.https())
                .setURI(path + (target.uri().getRawQuery() == null ? "" : "?" + target.uri().getRawQuery()))
                .setTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("X-Fivestar-Signature", "sha256=" + HexFormat.of().formatHex(hmac(hook.secret, payload)))
                .putHeader("X-Fivestar-Delivery", d.id.toString())
                .putHeader("X-Fivestar-Kind", n.kind);
        if (d.traceParent != null) {
            request.putHeader(Tracing.TRACEPARENT, d.traceParent);
        }
        int status = client().request(request)
                .compose(r -> r.send(Buffer.buffer(payload, "UTF-8")))
                .compose(r -> r.body().map(ignored -> r.statusCode())) // read, never echoed: lastError names the status only
                .toCompletionStage().toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        if (status / 100 != 2) {
            throw new IllegalStateException("webhook answered HTTP " + status);
        }
    }

    private HttpClient client() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) {
                    http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(3000).setForceSni(true)
                            .setVerifyHost(true).setKeepAlive(false));
                }
                c = http;
            }
        }
        return c;
    }

    private static Map<String, Object> generic(Delivery d, Notification n, String link) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deliveryId", d.id);
        m.put("notificationId", n.id);
        m.put("eventId", n.eventId);
        m.put("recipientId", n.recipientId);
        m.put("kind", n.kind);
        m.put("urgent", n.urgent);
        m.put("title", n.title);
        m.put("body", n.body);
        m.put("link", link);
        m.put("eventTime", n.eventTime.toString());
        return m;
    }

    public static byte[] hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
