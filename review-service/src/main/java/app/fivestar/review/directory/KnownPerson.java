package app.fivestar.review.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;
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
}
