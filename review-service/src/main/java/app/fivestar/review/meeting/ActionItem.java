package app.fivestar.review.meeting;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;
import java.util.UUID;

/** One thing a decision hands to a working group, by a date; task-service makes it a task. */
@Entity
@Table(name = "action_item")
public class ActionItem extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "decision_id")
    public UUID decisionId;
    @Column(name = "meeting_id")
    public UUID meetingId;
    public String title;
    @Column(name = "group_id")
    public UUID groupId;
    @Column(name = "assignee_id")
    public UUID assigneeId;
    @Column(name = "due_date")
    public LocalDate dueDate;
    public String star;
    @Column(name = "town_id")
    public UUID townId;
    @Column(name = "village_id")
    public UUID villageId;
}
