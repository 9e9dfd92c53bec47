package app.fivestar.review.directory;

import app.fivestar.platform.consumer.EventHandler;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A working group (专班) as review-service knows it, from directory-events: briefings name groups by name. */
@Entity
@Table(name = "known_group")
public class KnownGroup extends PanacheEntityBase {
    @Id
    public UUID id;
    public String code;
    public String name;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Keeps the groups up to date. */
    @ApplicationScoped
    public static class Projection implements EventHandler {
        @Override
        public String topic() {
            return Topics.DIRECTORY_EVENTS;
        }

        @Override
        public Set<String> types() {
            return Set.of("directory.group-upserted.v1");
        }

        @Override
        public void handle(CloudEvent e) {
            UUID id = UUID.fromString(e.text("groupId"));
            KnownGroup g = KnownGroup.<KnownGroup>findByIdOptional(id).orElseGet(KnownGroup::new);
            boolean isNew = g.id == null;
            g.id = id;
            g.code = e.text("code");
            g.name = e.text("name");
            g.updatedAt = e.time().toInstant();
            if (isNew) {
                g.persist();
            }
        }
    }
}
