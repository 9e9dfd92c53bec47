package app.fivestar.review.meeting;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** 表态发言: what the secretary of a low-ranked town must say, and what they said. */
@Entity
@Table(name = "statement")
public class Statement extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "meeting_id")
    public UUID meetingId;
    @Column(name = "town_id")
    public UUID townId;
    @Column(name = "town_name")
    public String townName;
    public int rank;
    @Column(name = "due_date")
    public LocalDate dueDate;
    public String text;
    @Column(name = "statement_date")
    public LocalDate statementDate;
    @Column(name = "recorded_by")
    public UUID recordedBy;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}
