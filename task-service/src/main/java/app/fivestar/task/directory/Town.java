package app.fivestar.task.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** 镇 / 街道: a town or sub-district of the district. */
@Entity
@Table(name = "town")
public class Town extends PanacheEntityBase {
    @Id
    public UUID id;
    public String code;
    public String name;
    /** TOWN or SUBDISTRICT. */
    public String kind;
}
