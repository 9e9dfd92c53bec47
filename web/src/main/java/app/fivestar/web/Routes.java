package app.fivestar.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The front door's routing table ({@code routes.properties}): which service owns a path under {@code /api}, and the
 * path the service serves it under. Plain Java, so that the deployment checks read the same table the proxy uses.
 */
public final class Routes {

    /** One line of the table. */
    public record Route(String prefix, String service, String upstreamPrefix) {
    }

    /** Where a request goes: the owning service and the path to ask it for. */
    public record Target(String service, String path) {
    }

    private final List<Route> routes;

    private Routes(List<Route> routes) {
        this.routes = routes.stream().sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed()).toList();
    }

    public static Routes load() {
        try (InputStream in = Routes.class.getResourceAsStream("/routes.properties")) {
            if (in == null) {
                throw new IllegalStateException("routes.properties is missing from the classpath");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Routes parse(Reader reader) throws IOException {
        List<Route> routes = new ArrayList<>();
        BufferedReader lines = new BufferedReader(reader);
        for (String line; (line = lines.readLine()) != null; ) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not a route: " + line);
            }
            String prefix = line.substring(0, eq).strip();
            String[] target = line.substring(eq + 1).strip().split("\\s+");
            if (!prefix.startsWith("/api/") || prefix.endsWith("/")) {
                throw new IllegalArgumentException("a route's prefix starts with /api/ and does not end with /: " + line);
            }
            routes.add(new Route(prefix, target[0], target.length > 1 ? target[1] : prefix));
        }
        return new Routes(routes);
    }

    /** The owner of {@code path} (no query string), if any route matches it. */
    public Optional<Target> resolve(String path) {
        for (Route r : routes) {
            if (path.equals(r.prefix()) || path.startsWith(r.prefix() + "/")) {
                return Optional.of(new Target(r.service(), r.upstreamPrefix() + path.substring(r.prefix().length())));
            }
        }
        return Optional.empty();
    }

    /** The front-door path under which {@code service} serves {@code upstreamPath}, if the table routes it there. */
    public Optional<String> frontPath(String service, String upstreamPath) {
        for (Route r : routes) {
            if (r.service().equals(service) && (upstreamPath.equals(r.upstreamPrefix()) || upstreamPath.startsWith(r.upstreamPrefix() + "/"))) {
                String front = r.prefix() + upstreamPath.substring(r.upstreamPrefix().length());
                if (resolve(front).equals(Optional.of(new Target(service, upstreamPath)))) {
                    return Optional.of(front);
                }
            }
        }
        return Optional.empty();
    }

    public Set<String> services() {
        Set<String> services = new LinkedHashSet<>();
        routes.forEach(r -> services.add(r.service()));
        return services;
    }
}
