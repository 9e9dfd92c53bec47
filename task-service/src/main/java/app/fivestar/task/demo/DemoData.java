package app.fivestar.task.demo;

import app.fivestar.platform.locks.ClusterLock;
import app.fivestar.task.catalogue.CatalogueService;
import app.fivestar.task.directory.DirectoryEvents;
import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.Village;
import app.fivestar.task.tabular.Table;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Loads the illustrative demo district and the 126-item catalogue into an empty database when
 * {@code fivestar.demo-data.enabled} (the local profile). A database that already has people is left alone.
 * Directory changes are published like any other, so the other services' projections fill up too.
 */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    @ConfigProperty(name = "fivestar.demo-data.enabled", defaultValue = "false")
    boolean enabled;

    @Inject
    DirectoryEvents events;

    @Inject
    CatalogueService catalogue;

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            // replicas starting together: one loads, the others wait here and then find the people
            ClusterLock.DEMO_DATA.acquire(Person.getEntityManager());
            if (Person.count() > 0) {
                return;
            }
            DemoDirectory.District district = DemoDirectory.build();
            district.groups().forEach(g -> {
                g.persist();
                events.groupChanged(g);
            });
            district.towns().forEach(t -> t.persist());
            district.villages().forEach(v -> v.persist());
            Village.flush();
            district.towns().forEach(events::townChanged);
            district.people().forEach(p -> {
                p.persist();
                events.personChanged(p);
            });
            var result = catalogue.importTable(Table.readCsv(read("catalogue/catalogue.csv")));
            LOG.infof("loaded the illustrative demo district: %d groups, %d towns, %d villages, %d people, %d catalogue items",
                    district.groups().size(), district.towns().size(), district.villages().size(), district.people().size(),
                    result.created());
        });
    }

    private static byte[] read(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
