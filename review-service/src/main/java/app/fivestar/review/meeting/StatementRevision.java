package app.fivestar.review.meeting;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** One text of a statement as it was recorded; a statement made again keeps every earlier one. */
@Entity
@Table(name = "statement_revision")
public class StatementRevision extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @JsonIgnore
    public Long id;
    @Column(name = "statement_id")
    public UUID statementId;
    public String text;
    @Column(name = "statement_date")
    public LocalDate date;
    @Column(name = "recorded_by")
    public UUID recordedBy;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}
