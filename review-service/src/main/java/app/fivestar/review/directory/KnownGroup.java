package app.fivestar.review.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A working group (专班) as review-service knows it (DirectoryProjection): briefings name groups by name. */
@Entity
@Table(name = "known_group")
public class KnownGroup extends PanacheEntityBase {
    @Id
    public UUID id;
    public String code;
    public String name;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
