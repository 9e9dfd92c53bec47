package app.fivestar.notification.webhook;

import app.fivestar.platform.problem.ProblemException;
import app.fivestar.platform.problem.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a webhook may point: an http(s) URL without credentials whose host resolves only to public addresses —
 * never loopback, private, link-local (cloud metadata), unique-local, multicast or unspecified ones, in any spelling
 * ({@code 2130706433}, {@code [::1]}, {@code 0.0.0.0}) — unless the host is on the district's own allow-list
 * ({@code fivestar.webhooks.allowed-hosts}). Checked at registration and again at every send, where the request then
 * goes to the very address that was checked (no DNS rebinding between the check and the connection).
 */
@ApplicationScoped
public class WebhookTargets {

    /** Resolves a host name; tests give their own, so that no test needs DNS or leaves loopback. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    static final Resolver DNS = host -> Arrays.asList(InetAddress.getAllByName(host));

    @ConfigProperty(name = "fivestar.webhooks.allowed-hosts")
    Optional<List<String>> allowedHosts;

    private volatile Resolver resolver = DNS;

    /** A checked target: connect to {@code address}, and name {@code uri}'s host in Host and SNI. */
    public record Target(URI uri, InetAddress address, int port, boolean https) {
    }

    /** The target to connect to; a 422 problem saying why the URL is refused. */
    public Target check(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw refused("不是有效的网址");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused("必须是 http(s) 网址");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("不能包含用户名或密码");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw refused("缺少主机名");
        }
        host = host.toLowerCase(Locale.ROOT);
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw refused("的主机名无法解析");
        }
        if (addresses.isEmpty()) {
            throw refused("的主机名无法解析");
        }
        boolean allowed = allowedHosts.orElse(List.of()).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).anyMatch(h -> h.equals(bare));
        if (!allowed) {
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    throw refused("指向回环、内网或链路本地地址，Webhook 不能访问这些地址");
                }
            }
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new Target(uri, addresses.get(0), port, scheme.equals("https"));
    }

    /** Replaces the resolver (tests); null restores DNS. */
    public void useResolver(Resolver r) {
        resolver = r == null ? DNS : r;
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0                                        // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19))    // benchmarking
                    && first < 240;                                   // reserved, broadcast
        }
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) != 0xfc; // unique local fc00::/7
        }
        return false;
    }

    private static ProblemException refused(String why) {
        return Problems.unprocessable("Webhook 地址" + why)
                .with("violations", List.of(Map.of("field", "url", "message", why)));
    }
}
