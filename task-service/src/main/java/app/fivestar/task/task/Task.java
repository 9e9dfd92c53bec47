package app.fivestar.task.task;

import app.fivestar.task.catalogue.Star;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A dispatched unit of work, carried by a working group and optionally one person, maybe for one village. */
@Entity
@Table(name = "task")
public class Task extends PanacheEntityBase {
    @Id
    public UUID id;
    /** Catalogue code (e.g. ST-07), null for ad-hoc tasks. */
    public String code;
    public String title;
    @Enumerated(EnumType.STRING)
    public Star star;
    @Column(name = "group_id")
    public UUID groupId;
    @Column(name = "assignee_id")
    public UUID assigneeId;
    @Column(name = "town_id")
    public UUID townId;
    @Column(name = "village_id")
    public UUID villageId;
    @Column(name = "dispatch_id")
    public UUID dispatchId;
    public String week;
    @Column(name = "meeting_id")
    public UUID meetingId;
    @Column(name = "action_item_id")
    public UUID actionItemId;
    @Column(name = "due_date")
    public LocalDate dueDate;
    @Enumerated(EnumType.STRING)
    public TaskStatus status;
    /** The note of the last submission (办结说明). */
    public String note;
    @Column(name = "returned_count")
    public int returnedCount;
    @Column(name = "submitted_at")
    public Instant submittedAt;
    @Column(name = "verified_at")
    public Instant verifiedAt;
    @Version
    public long version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "created_by")
    public UUID createdBy;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** Position in the change order (orders one sync answer's pages). */
    @Column(name = "change_seq")
    public long changeSeq;
    /** The transaction that made the last change: what readers find unseen changes by ({@link ChangeWindow}). */
    @Column(name = "change_xid")
    public long changeXid;
}
