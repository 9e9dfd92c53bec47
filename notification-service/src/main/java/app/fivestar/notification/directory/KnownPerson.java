package app.fivestar.notification.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A person as notification-service knows them, from directory-events. */
@Entity
@Table(name = "known_person")
public class KnownPerson extends PanacheEntityBase {
    @Id
    public UUID id;
    public String username;
    @Column(name = "display_name")
    public String displayName;
    /** Comma-separated roles. */
    public String roles;
    @Column(name = "group_id")
    public UUID groupId;
    @Column(name = "town_id")
    public UUID townId;
    public String email;
    public String phone;
    public boolean active;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public boolean has(String role) {
        return Arrays.asList(roles.split(",")).contains(role);
    }

    public static List<KnownPerson> withRole(String role) {
        return list("active = true and concat(',', roles, ',') like ?1", "%," + role + ",%");
    }
}
