package app.fivestar.task.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** A person of the campaign with their roles, working group and town. */
@Entity
@Table(name = "person")
public class Person extends PanacheEntityBase {
    @Id
    public UUID id;
    public String username;
    @Column(name = "display_name")
    public String displayName;
    /** Comma-separated role names. */
    public String roles;
    @Column(name = "group_id")
    public UUID groupId;
    @Column(name = "town_id")
    public UUID townId;

    public Set<String> roleSet() {
        return new TreeSet<>(Arrays.asList(roles.split(",")));
    }

    public static Optional<Person> byUsername(String username) {
        return find("username", username).firstResultOptional();
    }
}
