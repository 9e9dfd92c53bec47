package app.fivestar.notification.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A working group as notification-service knows it, from directory-events. */
@Entity
@Table(name = "known_group")
public class KnownGroup extends PanacheEntityBase {
    @Id
    public UUID id;
    public String code;
    public String name;
    public String kind;
    @Column(name = "lead_id")
    public UUID leadId;
    @Column(name = "patron_id")
    public UUID patronId;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
