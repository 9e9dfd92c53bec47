package app.fivestar.notification.inbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Generated;

import java.time.Instant;
import java.util.UUID;

/** One message in a person's inbox, made from one event; {@code seq} orders the inbox and the live stream. */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {
    @Id
    public UUID id;
    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;
    @Column(name = "recipient_id")
    public UUID recipientId;
    public String kind;
    public boolean urgent;
    public String title;
    public String body;
    public String link;
    @Column(name = "event_id")
    public UUID eventId;
    @Column(name = "event_time")
    public Instant eventTime;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "read_at")
    public Instant readAt;
}
