package app.fivestar.review.meeting;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** 议定事项: what a meeting decided; its action items become tasks. */
@Entity
@Table(name = "decision")
public class Decision extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "meeting_id")
    public UUID meetingId;
    public String text;
    @Column(name = "created_by")
    public UUID createdBy;
    @Column(name = "created_at")
    public Instant createdAt;
}
