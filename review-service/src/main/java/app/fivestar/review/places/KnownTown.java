package app.fivestar.review.places;

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

/** A town or sub-district as review-service knows it (the units that are scored and ranked), from directory-events. */
@Entity
@Table(name = "known_town")
public class KnownTown extends PanacheEntityBase {
    @Id
    public UUID id;
    public String code;
    public String name;
    public String kind;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Keeps the towns up to date. */
    @ApplicationScoped
    public static class Projection implements EventHandler {
        @Override
        public String topic() {
            return Topics.DIRECTORY_EVENTS;
        }

        @Override
        public Set<String> types() {
            return Set.of("directory.town-upserted.v1");
        }

        @Override
        public void handle(CloudEvent e) {
            UUID id = UUID.fromString(e.text("townId"));
            KnownTown t = KnownTown.<KnownTown>findByIdOptional(id).orElseGet(KnownTown::new);
            boolean isNew = t.id == null;
            t.id = id;
            t.code = e.text("code");
            t.name = e.text("name");
            t.kind = e.text("kind");
            t.updatedAt = e.time().toInstant();
            if (isNew) {
                t.persist();
            }
        }
    }
}
