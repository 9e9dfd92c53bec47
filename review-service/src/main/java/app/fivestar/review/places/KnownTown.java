package app.fivestar.review.places;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A town or sub-district as review-service knows it (the units that are scored and ranked), from directory-events ({@code app.fivestar.review.directory.DirectoryProjection}). */
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
}
