package app.fivestar.task.catalogue;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** One of the 126 tasks the district broke its goals into, identified by a human code such as ST-07. */
@Entity
@Table(name = "catalog_item")
public class CatalogItem extends PanacheEntityBase {

    public enum Level { DISTRICT, TOWN, VILLAGE }

    @Id
    public String code;
    public String title;
    public String description;
    @Enumerated(EnumType.STRING)
    public Star star;
    /** Code of the owning working group, e.g. G-ST. */
    @Column(name = "group_code")
    public String groupCode;
    @Enumerated(EnumType.STRING)
    public Level level;
    /** Evidence a close needs: at least this many photos … */
    @Column(name = "min_photos")
    public int minPhotos;
    /** … and a note when true. */
    @Column(name = "note_required")
    public boolean noteRequired;
    @Column(name = "default_days")
    public int defaultDays;
    public boolean active;
    @Version
    public long version;
}
