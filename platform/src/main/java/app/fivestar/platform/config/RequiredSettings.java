package app.fivestar.platform.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings a deployment must give: in {@code prod} they have no default (a forgotten variable must never fall back
 * to a local or demo value), and the start stops before anything connects, naming each missing environment variable.
 * {@code fivestar.required-settings} lists the platform's, {@code fivestar.required-settings.service} a service's own.
 */
@ApplicationScoped
public class RequiredSettings {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        List<String> required = new ArrayList<>();
        for (String list : List.of("fivestar.required-settings", "fivestar.required-settings.service")) {
            config.getOptionalValue(list, String.class).ifPresent(v -> Arrays.stream(v.split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).forEach(required::add));
        }
        List<String> missing = missing(config, required);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("missing required setting(s): " + String.join(", ", missing)
                    + " — set each as an environment variable; the prod profile has no defaults for them");
        }
    }

    /** Each required property without a value, as "ENV_VAR (property)". */
    static List<String> missing(Config config, List<String> properties) {
        List<String> missing = new ArrayList<>();
        for (String property : properties) {
            Optional<String> value;
            try {
                value = config.getOptionalValue(property, String.class);
            } catch (RuntimeException unexpandable) {
                value = Optional.empty(); // ${VAR} with VAR unset
            }
            if (value.isEmpty() || value.get().isBlank()) {
                missing.add(environmentName(property) + " (" + property + ")");
            }
        }
        return missing;
    }

    /** The environment variable MicroProfile Config maps to a property: upper case, every other character '_'. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
