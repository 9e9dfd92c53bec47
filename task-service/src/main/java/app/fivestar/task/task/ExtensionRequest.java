package app.fivestar.task.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** 延期申请: a request to move a task's due date, decided by the office. */
@Entity
@Table(name = "extension_request")
public class ExtensionRequest extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "task_id")
    public UUID taskId;
    @Column(name = "requested_due")
    public LocalDate requestedDue;
    public String reason;
    /** PENDING, APPROVED or REJECTED. */
    public String status;
    @Column(name = "requested_by")
    public UUID requestedBy;
    @Column(name = "requested_at")
    public Instant requestedAt;
    @Column(name = "decided_by")
    public UUID decidedBy;
    @Column(name = "decided_at")
    public Instant decidedAt;
    @Column(name = "decision_note")
    public String decisionNote;
}
