package app.fivestar.task.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** 村 / 社区: a village or urban community and its Party branch, in one town. */
@Entity
@Table(name = "village")
public class Village extends PanacheEntityBase {
    @Id
    public UUID id;
    public String code;
    public String name;
    @Column(name = "town_id")
    public UUID townId;
    /** VILLAGE or COMMUNITY. */
    public String kind;
}
