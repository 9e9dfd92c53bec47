package app.fivestar.review.meeting;

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

/** 例会 (REGULAR), 观摩 (OBSERVATION, about one star), 讲评会 (REVIEW) or 回头看 (LOOK_BACK). */
@Entity
@Table(name = "meeting")
public class Meeting extends PanacheEntityBase {

    public enum Type { REGULAR, OBSERVATION, REVIEW, LOOK_BACK }

    public enum Status { DRAFT, OPEN, IN_PROGRESS, CLOSED }

    @Id
    public UUID id;
    public String title;
    @Enumerated(EnumType.STRING)
    public Type type;
    public String star;
    @Column(name = "meeting_date")
    public LocalDate date;
    public String place;
    @Column(name = "chair_id")
    public UUID chairId;
    public String agenda;
    public String minutes;
    @Enumerated(EnumType.STRING)
    public Status status;
    @Version
    public long version;
    @Column(name = "created_by")
    public UUID createdBy;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "closed_at")
    public Instant closedAt;
}
