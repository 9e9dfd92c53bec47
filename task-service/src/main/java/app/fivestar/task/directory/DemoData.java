package app.fivestar.task.directory;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Loads the illustrative demo directory into an empty database when {@code fivestar.demo-data.enabled}
 * (the local profile). Runs once: a database that already has people is left alone.
 */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    @ConfigProperty(name = "fivestar.demo-data.enabled", defaultValue = "false")
    boolean enabled;

    @Inject
    EntityManager em;

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            long people = ((Number) em.createNativeQuery("select count(*) from person").getSingleResult()).longValue();
            if (people > 0) {
                return;
            }
            String script = read("demo/directory.sql");
            Arrays.stream(script.replaceAll("(?m)^--.*$", "").split(";"))
                    .map(String::strip).filter(s -> !s.isEmpty())
                    .forEach(statement -> em.createNativeQuery(statement).executeUpdate());
            LOG.info("loaded the illustrative demo directory");
        });
    }

    private static String read(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
