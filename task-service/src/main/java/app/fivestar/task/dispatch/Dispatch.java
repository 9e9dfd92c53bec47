package app.fivestar.task.dispatch;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** 每周交办: one batch of tasks the office hands out for an ISO week. */
@Entity
@Table(name = "dispatch")
public class Dispatch extends PanacheEntityBase {
    @Id
    public UUID id;
    /** ISO week, e.g. 2026-W48. */
    public String week;
    @Column(name = "created_by")
    public UUID createdBy;
    @Column(name = "created_at")
    public Instant createdAt;
    /** PENDING while a large dispatch's tasks are being created, DONE, or FAILED (see {@link #problem}). */
    public String status = "DONE";
    /** How many tasks the dispatch makes. */
    public Integer total;
    /** The request, kept while the dispatch is pending (JSON). */
    public String request;
    /** Why a dispatch failed: problem details (JSON). */
    public String problem;
    @Column(name = "finished_at")
    public Instant finishedAt;
}
