package app.fivestar.web;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front door's forwarding against a real upstream HTTP server on loopback: it keeps its connections to a service
 * alive whichever protocol the browser speaks (a connection closed after every answer is one a next request may be
 * handed while it closes: a 502 "暂时无法连接"), and it still lets go of a stream the browser leaves.
 */
class ApiProxyTest {

    static Vertx vertx;
    static HttpServer upstream;
    static HttpServer door;
    static final AtomicInteger connections = new AtomicInteger();
    static volatile CompletableFuture<Void> streamLeft = new CompletableFuture<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet()).requestHandler(request -> {
            if (request.path().endsWith("/stream")) {
                // a live stream: headers and a first event, then nothing until the other side leaves
                request.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write("data: hello\n\n");
                CompletableFuture<Void> left = streamLeft;
                request.response().closeHandler(v -> left.complete(null));
            } else if (request.path().endsWith("/early")) {
                // an answer before the body is read, like a service's check of the address
                request.response().setStatusCode(400).putHeader("Content-Type", "application/problem+json").end("{\"status\":400}");
            } else {
                request.body().onSuccess(body -> request.response().putHeader("Content-Type", "application/json")
                        .end("{\"read\":" + body.length() + "}"));
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        ApiProxy proxy = new ApiProxy();
        proxy.vertx = vertx;
        proxy.config = new SmallRyeConfigBuilder()
                .withDefaultValue("fivestar.upstreams.notification-service", "http://127.0.0.1:" + upstream.actualPort()).build();
        Router router = Router.router(vertx);
        router.route("/api/*").handler(proxy::handle);
        door = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void count() {
        connections.set(0);
        streamLeft = new CompletableFuture<>();
    }

    /** The browser's side: java.net.http, HTTP/2 by the cleartext upgrade (what a browser speaks to the front door behind TLS) or HTTP/1.1. */
    static java.net.http.HttpClient browser(java.net.http.HttpClient.Version version) {
        return java.net.http.HttpClient.newBuilder().version(version).connectTimeout(java.time.Duration.ofSeconds(5)).build();
    }

    static String send(java.net.http.HttpClient client, String path, String body) throws Exception {
        java.net.http.HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + door.actualPort() + path)).timeout(java.time.Duration.ofSeconds(10))
                .header("Authorization", "Bearer x").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @ParameterizedTest
    @EnumSource(java.net.http.HttpClient.Version.class)
    void oneConnectionToTheServiceServesRequestAfterRequest(java.net.http.HttpClient.Version version) throws Exception {
        java.net.http.HttpClient client = browser(version);
        for (int i = 0; i < 40; i++) {
            String path = i % 2 == 0 ? "/api/v1/inbox/read" : "/api/v1/inbox/early";
            String answer = send(client, path, "{\"n\":" + i + "}");
            assertEquals(i % 2 == 0 ? "200 {\"read\":" + ("{\"n\":" + i + "}").length() + "}" : "400 {\"status\":400}", answer, path);
        }
        assertTrue(connections.get() <= 2, "40 requests one after another over " + version + " opened " + connections.get()
                + " connections to the service (kept alive: 1)");
    }

    @ParameterizedTest
    @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
    void aStreamTheBrowserLeavesIsLeftAtTheServiceToo(HttpVersion version) throws Exception {
        // Vert.x's client: it can leave a stream in the middle (close) over either protocol
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(version).setHttp2ClearTextUpgrade(false)
                .setDefaultHost("127.0.0.1").setDefaultPort(door.actualPort()));
        CompletableFuture<String> first = new CompletableFuture<>();
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/v1/inbox/stream").putHeader("Authorization", "Bearer x")
                        .putHeader("Accept", "text/event-stream"))
                .compose(request -> request.send())
                .onSuccess(response -> response.handler(chunk -> first.complete(chunk.toString())));
        assertEquals("data: hello\n\n", first.get(10, TimeUnit.SECONDS));
        client.close();
        streamLeft.get(10, TimeUnit.SECONDS);
    }
}
