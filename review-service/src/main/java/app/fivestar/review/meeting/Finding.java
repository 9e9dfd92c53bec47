package app.fivestar.review.meeting;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** 回头看: what a look-back inspection found about a previously verified task — it holds, or it rebounded. */
@Entity
@Table(name = "finding")
public class Finding extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "meeting_id")
    public UUID meetingId;
    @Column(name = "task_id")
    public UUID taskId;
    @Column(name = "village_id")
    public UUID villageId;
    /** HOLDS or REBOUNDED. */
    public String result;
    public String note;
    @Column(name = "inspector_id")
    public UUID inspectorId;
    @Column(name = "created_at")
    public Instant createdAt;
}
