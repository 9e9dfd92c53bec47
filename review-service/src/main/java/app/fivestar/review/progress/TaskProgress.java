package app.fivestar.review.progress;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** What review-service knows of one task, built from task-events (never a call to task-service). */
@Entity
@Table(name = "task_progress")
public class TaskProgress extends PanacheEntityBase {
    @Id
    @Column(name = "task_id")
    public UUID taskId;
    public String code;
    public String title;
    public String star;
    @Column(name = "group_id")
    public UUID groupId;
    @Column(name = "town_id")
    public UUID townId;
    @Column(name = "village_id")
    public UUID villageId;
    @Column(name = "assignee_id")
    public UUID assigneeId;
    @Column(name = "due_date")
    public LocalDate dueDate;
    public String status;
    @Column(name = "meeting_id")
    public UUID meetingId;
    @Column(name = "action_item_id")
    public UUID actionItemId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "verified_at")
    public Instant verifiedAt;
    @Column(name = "on_time")
    public Boolean onTime;
    @Column(name = "overdue_since")
    public Instant overdueSince;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
