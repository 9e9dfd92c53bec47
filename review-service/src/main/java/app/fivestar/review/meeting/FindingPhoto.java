package app.fivestar.review.meeting;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A photo of a look-back finding: what the inspector saw (the stored copy is re-encoded from the pixels). */
@Entity
@Table(name = "finding_photo")
public class FindingPhoto extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "finding_id")
    public UUID findingId;
    @Column(name = "content_type")
    public String contentType;
    @Column(name = "size_bytes")
    public int sizeBytes;
    public String sha256;
    @Basic(fetch = FetchType.LAZY)
    public byte[] content;
    public Integer width;
    public Integer height;
    @Column(name = "taken_at")
    public Instant takenAt;
    public Double latitude;
    public Double longitude;
    @Column(name = "uploaded_by")
    public UUID uploadedBy;
    @Column(name = "uploaded_at")
    public Instant uploadedAt;
}
