package app.fivestar.task.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One line of a task's journal: who did what, when, from which client, old and new values. */
@Entity
@Table(name = "task_journal")
public class JournalEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "journal_seq")
    @SequenceGenerator(name = "journal_seq", sequenceName = "task_journal_id_seq", allocationSize = 1)
    public Long id;
    @Column(name = "task_id")
    public UUID taskId;
    public Instant at;
    @Column(name = "actor_id")
    public UUID actorId;
    public String action;
    public String client;
    @Column(name = "old_values")
    public String oldValues;
    @Column(name = "new_values")
    public String newValues;
    public String note;
}
