package app.fivestar.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The console's pages and the roles that open each ({@code pages.properties}): the one table the front door and the menu use. */
public final class Pages {

    public static final String ANYONE = "*";

    private final Map<String, Set<String>> roles;

    private Pages(Map<String, Set<String>> roles) {
        this.roles = roles;
    }

    public static Pages load() {
        try (InputStream in = Pages.class.getResourceAsStream("/pages.properties")) {
            if (in == null) {
                throw new IllegalStateException("pages.properties is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Pages parse(String text) {
        Map<String, Set<String>> roles = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String path = eq < 0 ? "" : line.substring(0, eq).strip();
            if (!path.startsWith("/") || (path.length() > 1 && path.endsWith("/")) || path.startsWith("/api") || path.equals("/m") || path.startsWith("/m/")) {
                throw new IllegalArgumentException("not a console page: " + line);
            }
            roles.put(path, Arrays.stream(line.substring(eq + 1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .collect(Collectors.toUnmodifiableSet()));
        }
        return new Pages(roles);
    }

    public Set<String> paths() {
        return roles.keySet();
    }

    public boolean opens(String page, Set<String> personRoles) {
        Set<String> allowed = roles.get(page);
        return allowed != null && (allowed.contains(ANYONE) || allowed.stream().anyMatch(personRoles::contains));
    }

    /** The pages a person with these roles may open, in the table's order. */
    public List<String> openedBy(Set<String> personRoles) {
        return roles.keySet().stream().filter(p -> opens(p, personRoles)).toList();
    }
}
