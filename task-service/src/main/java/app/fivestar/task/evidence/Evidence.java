package app.fivestar.task.evidence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** 佐证材料: a photo attached to a task, kept with its SHA-256. */
@Entity
@Table(name = "evidence")
public class Evidence extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "task_id")
    public UUID taskId;
    public String filename;
    @Column(name = "content_type")
    public String contentType;
    @Column(name = "size_bytes")
    public int sizeBytes;
    public String sha256;
    @Basic(fetch = FetchType.LAZY)
    public byte[] content;
    @Column(name = "uploaded_by")
    public UUID uploadedBy;
    @Column(name = "uploaded_at")
    public Instant uploadedAt;
    /** When the photo was taken, as the phone or the photo's EXIF said (null: not known). */
    @Column(name = "taken_at")
    public Instant takenAt;
    public Double latitude;
    public Double longitude;
    public Integer width;
    public Integer height;
}
