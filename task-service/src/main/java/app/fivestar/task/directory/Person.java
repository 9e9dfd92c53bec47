package app.fivestar.task.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** A person of the campaign with their roles, working group, town and the villages they follow. */
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
    public String phone;
    public String email;
    public boolean active = true;
    @Version
    public long version;
    /** 分包到村: the villages this (county-level) cadre follows. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "person_village", joinColumns = @JoinColumn(name = "person_id"))
    @Column(name = "village_id")
    public Set<UUID> villageIds = new HashSet<>();

    public Set<String> roleSet() {
        return new TreeSet<>(Arrays.asList(roles.split(",")));
    }

    public static Optional<Person> byUsername(String username) {
        return find("username", username).firstResultOptional();
    }
}
