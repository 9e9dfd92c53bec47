package app.fivestar.notification.delivery;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One message to send on an outbound channel (webhook or e-mail), with its attempts. */
@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "notification_id")
    public UUID notificationId;
    @Column(name = "recipient_id")
    public UUID recipientId;
    @Column(name = "event_id")
    public UUID eventId;
    /** WEBHOOK or EMAIL. */
    public String channel;
    /** The webhook id or the e-mail address. */
    public String target;
    @Column(name = "webhook_id")
    public UUID webhookId;
    /** PENDING, DELIVERED, FAILED; DIGEST (waits for the daily digest), DIGESTED. */
    public String status;
    public int attempts;
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "event_time")
    public Instant eventTime;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "delivered_at")
    public Instant deliveredAt;
    /** W3C traceparent of the event this delivery answers, sent on with a webhook. */
    @Column(name = "trace_parent")
    public String traceParent;
}
