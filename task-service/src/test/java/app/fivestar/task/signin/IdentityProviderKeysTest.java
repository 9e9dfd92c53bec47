package app.fivestar.task.signin;

import app.fivestar.platform.testing.KeyFiles;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestServers;
import app.fivestar.task.Fixtures;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A service makes no request to the identity provider while it starts: the address of the provider's keys is
 * configured, not discovered, and the keys are fetched when the first token is verified (then kept). So a start neither
 * waits for the provider nor needs it up. The provider here is a loopback server that serves the test key as its JWKS
 * and lists the requests it got.
 */
@QuarkusTest
@TestProfile(IdentityProviderKeysTest.LoopbackProvider.class)
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class IdentityProviderKeysTest {

    static final String KEYS = "/realms/fivestar/protocol/openid-connect/certs";

    public static class LoopbackProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.auth-server-url", Provider.url() + "/realms/fivestar", "quarkus.oidc.public-key", "");
        }
    }

    @Test
    void theKeysAreFetchedWhenTheFirstTokenIsVerifiedNotDuringTheStart() {
        assertEquals(List.of(), Provider.requests(), "requests to the provider while the service started");
        Provider.serveKeys(jwks());
        String office = Fixtures.tokenOf(Fixtures.person("office", null, "OFFICE"));
        given().auth().oauth2(office).when().get("/api/v1/groups").then().statusCode(200);
        given().auth().oauth2(Fixtures.tokenOf(Fixtures.person("leader", null, "LEADER"))).when().get("/api/v1/groups").then().statusCode(200);
        assertEquals(List.of("GET " + KEYS), Provider.requests(), "requests to the provider for two tokens signed with one key");
        given().auth().oauth2(office.substring(0, office.length() - 4) + "AAAA").when().get("/api/v1/groups").then().statusCode(401);
    }

    /** The public key of the pair the test tokens are signed with, as a JWKS, under the key id the tokens name. */
    static String jwks() {
        try {
            byte[] der = Base64.getDecoder().decode(KeyFiles.publicKeyBase64(TestServers.get().keyDir().resolve(KeyFiles.PUBLIC)));
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"fivestar-local\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"" + base64Url(key.getModulus())
                    + "\",\"e\":\"" + base64Url(key.getPublicExponent()) + "\"}]}";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length); // unsigned, as a JWK has it
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The loopback provider, started once per JVM: its address is in a system property, so that the profile and the
     * test find the same one whichever class loader runs them, and it is driven over HTTP for the same reason
     * ({@code PUT /keys} sets the JWKS it serves, {@code GET /requests} lists the other requests it answered).
     */
    static final class Provider {

        private static final String PROPERTY = "fivestar.test.identity-provider";

        static synchronized String url() {
            String url = System.getProperty(PROPERTY);
            if (url == null) {
                url = start();
                System.setProperty(PROPERTY, url);
            }
            return url;
        }

        static List<String> requests() {
            String body = send(HttpRequest.newBuilder(URI.create(url() + "/requests")).build());
            return body.isEmpty() ? List.of() : Arrays.asList(body.split("\n"));
        }

        static void serveKeys(String jwks) {
            send(HttpRequest.newBuilder(URI.create(url() + "/keys")).PUT(HttpRequest.BodyPublishers.ofString(jwks)).build());
        }

        private static String send(HttpRequest request) {
            try {
                return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                List<String> seen = new CopyOnWriteArrayList<>();
                AtomicReference<byte[]> keys = new AtomicReference<>(new byte[0]);
                server.createContext("/", exchange -> {
                    String path = exchange.getRequestURI().getPath();
                    byte[] body = new byte[0];
                    if (path.equals("/requests")) {
                        body = String.join("\n", seen).getBytes(StandardCharsets.UTF_8);
                    } else if (path.equals("/keys")) {
                        keys.set(exchange.getRequestBody().readAllBytes());
                    } else {
                        seen.add(exchange.getRequestMethod() + " " + path);
                        body = path.equals(KEYS) ? keys.get() : body;
                    }
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(body.length > 0 || path.equals("/requests") || path.equals("/keys") ? 200 : 404,
                            body.length == 0 ? -1 : body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                server.start();
                return "http://127.0.0.1:" + server.getAddress().getPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
