package app.fivestar.task.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.util.UUID;

/** 创建办 (kind OFFICE) or one of the seven 专班 (kind GROUP) that carry tasks. */
@Entity
@Table(name = "working_group")
public class WorkingGroup extends PanacheEntityBase {
    @Id
    public UUID id;
    /** Stable code, e.g. G-ST. */
    public String code;
    public String name;
    /** The star the group works on (ZB, CY, ST, PA, WM) or null for cross-cutting groups. */
    public String star;
    /** OFFICE or GROUP. */
    public String kind;
    /** 专班负责人: the group lead. */
    @Column(name = "lead_id")
    public UUID leadId;
    /** 区委常委: the standing-committee member who leads this group's star. */
    @Column(name = "patron_id")
    public UUID patronId;
    @Version
    public long version;

    public static java.util.Optional<WorkingGroup> byCode(String code) {
        return find("code", code).firstResultOptional();
    }
}
