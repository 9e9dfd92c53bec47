package app.fivestar.notification.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** Where a person's or a group's notifications are also posted: generic JSON, DingTalk or WeCom group robot. */
@Entity
@Table(name = "webhook")
public class Webhook extends PanacheEntityBase {

    public enum Format { GENERIC, DINGTALK, WECOM }

    @Id
    public UUID id;
    @Column(name = "owner_person_id")
    public UUID ownerPersonId;
    @Column(name = "owner_group_id")
    public UUID ownerGroupId;
    public String url;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Format format;
    /** HMAC-SHA256 key; never shown again after registration. */
    public String secret;
    public boolean active;
    @Column(name = "created_by")
    public UUID createdBy;
    @Column(name = "created_at")
    public Instant createdAt;
}
