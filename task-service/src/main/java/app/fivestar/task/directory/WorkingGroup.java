package app.fivestar.task.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** 专班: a special working group that carries tasks; led by {@code leadId}. */
@Entity
@Table(name = "working_group")
public class WorkingGroup extends PanacheEntityBase {
    @Id
    public UUID id;
    public String name;
    public String star;
    @Column(name = "lead_id")
    public UUID leadId;
}
