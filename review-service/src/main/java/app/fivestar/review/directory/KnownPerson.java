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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What review-service needs of a person, from directory-events: their name, and the town they are secretary of
 * (a scorer never scores their own town).
 */
@Entity
@Table(name = "known_person")
public class KnownPerson extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "display_name")
    public String displayName;
    @Column(name = "town_id")
    public UUID townId;
    @Column(name = "town_secretary")
    public boolean townSecretary;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The town this person is secretary of, if they are one. */
    public static Optional<UUID> secretaryOf(UUID personId) {
        return KnownPerson.<KnownPerson>findByIdOptional(personId).filter(p -> p.townSecretary && p.townId != null).map(p -> p.townId);
    }

    /** Keeps the people up to date; an older event never overwrites a newer state. */
    @ApplicationScoped
    public static class Projection implements EventHandler {
        @Override
        public String topic() {
            return Topics.DIRECTORY_EVENTS;
        }

        @Override
        public Set<String> types() {
            return Set.of("directory.person-upserted.v1");
        }

        @Override
        public void handle(CloudEvent e) {
            UUID id = UUID.fromString(e.text("personId"));
            KnownPerson p = KnownPerson.<KnownPerson>findByIdOptional(id).orElseGet(KnownPerson::new);
            boolean isNew = p.id == null;
            if (!isNew && e.time().toInstant().isBefore(p.updatedAt)) {
                return;
            }
            p.id = id;
            p.displayName = e.text("displayName");
            p.townId = e.text("townId") == null ? null : UUID.fromString(e.text("townId"));
            boolean secretary = false;
            for (var role : e.data().path("roles")) {
                secretary |= role.asText().equals("TOWN_SECRETARY");
            }
            p.townSecretary = secretary && e.data().path("active").asBoolean(true);
            p.updatedAt = e.time().toInstant();
            if (isNew) {
                p.persist();
            }
        }
    }
}
