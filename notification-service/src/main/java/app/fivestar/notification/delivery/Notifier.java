package app.fivestar.notification.delivery;

import app.fivestar.notification.directory.KnownPerson;
import app.fivestar.notification.inbox.Notification;
import app.fivestar.notification.preference.Preferences;
import app.fivestar.notification.message.Message;
import app.fivestar.notification.webhook.Webhook;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Makes one notification for one person from one event — at most once, whatever redeliveries happen — and
 * queues its outbound deliveries as the person's preferences say: e-mail (or the daily digest), webhooks
 * of the person and of their group. Quiet hours hold back what is not urgent.
 */
@ApplicationScoped
public class Notifier {

    /** A poll's events share one transaction: people, preferences and webhooks are looked up once in it. */
    @Inject
    app.fivestar.platform.sql.TransactionCache cache;

    @Inject
    app.fivestar.platform.signals.CommitSignals signals;

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Inject
    EntityManager em;

    @Inject
    Preferences preferences;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    @Inject
    DeliveryWorker worker;

    @Transactional(Transactional.TxType.MANDATORY)
    public Notification notify(CloudEvent event, UUID recipient, Message message) {
        if (Notification.count("eventId = ?1 and recipientId = ?2", event.id(), recipient) > 0) {
            return null;
        }
        Instant now = Instant.now(clock);
        KnownPerson person = cache.get("person", recipient, id -> KnownPerson.<KnownPerson>findById(id));
        Notification n = new Notification();
        n.id = UUID.randomUUID();
        n.recipientId = recipient;
        n.kind = message.kind().name();
        n.urgent = message.kind().urgent();
        n.title = message.title();
        n.body = message.body();
        n.link = linkFor(message.link(), person);
        n.eventId = event.id();
        n.eventTime = event.time().toInstant();
        n.createdAt = now;
        n.persist();
        signals.signal(app.fivestar.notification.inbox.InboxResource.INBOX_CHANNEL, recipient.toString()); // live streams, on commit
        metrics.timer("fivestar.notification.latency", "channel", "INBOX").record(Duration.between(n.eventTime, now));

        Preferences.Choice choice = cache.get("preferences", recipient, preferences::of);
        Instant sendAt = choice.isQuiet(ZonedDateTime.ofInstant(now, ZONE).toLocalTime()) && !n.urgent
                ? endOfQuiet(now, choice) : now;
        List<Delivery> deliveries = new ArrayList<>();
        if (person != null && person.email != null && choice.wants(message.kind(), Preferences.Channel.EMAIL)) {
            deliveries.add(delivery(n, "EMAIL", person.email, null, choice.digest() && !n.urgent ? "DIGEST" : "PENDING", sendAt));
        }
        if (choice.wants(message.kind(), Preferences.Channel.WEBHOOK)) {
            List<Webhook> hooks = new ArrayList<>(cache.get("person-webhooks", recipient,
                    id -> Webhook.<Webhook>list("active = true and ownerPersonId = ?1", id)));
            if (person != null && person.groupId != null) {
                hooks.addAll(cache.get("group-webhooks", person.groupId, id -> Webhook.<Webhook>list("active = true and ownerGroupId = ?1", id)));
            }
            for (Webhook h : hooks) {
                deliveries.add(delivery(n, "WEBHOOK", h.id.toString(), h.id, "PENDING", sendAt));
            }
        }
        for (Delivery d : deliveries) {
            // a group webhook hears an event once, however many of its members it concerns
            em.createNativeQuery("insert into delivery (id, notification_id, recipient_id, event_id, channel, target, webhook_id, status, "
                            + "attempts, next_attempt_at, event_time, created_at, trace_parent) "
                            + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?10, ?11, cast(?12 as text)) "
                            + "on conflict (event_id, channel, target) do nothing")
                    .setParameter(1, d.id).setParameter(2, d.notificationId).setParameter(3, d.recipientId).setParameter(4, d.eventId)
                    .setParameter(5, d.channel).setParameter(6, d.target).setParameter(7, d.webhookId).setParameter(8, d.status)
                    .setParameter(9, d.nextAttemptAt).setParameter(10, d.eventTime).setParameter(11, d.createdAt)
                    .setParameter(12, d.traceParent)
                    .executeUpdate();
        }
        if (!deliveries.isEmpty()) {
            worker.wakeAfterCommit();
        }
        return n;
    }

    /**
     * The page this person opens: a cadre (who works on the phone) gets the phone's task page, everyone else the
     * console's. The path only: the front door's public base URL is added where a message leaves the inbox.
     */
    static String linkFor(String link, KnownPerson person) {
        if (link == null || person == null || !link.startsWith("/tasks/")) {
            return link;
        }
        boolean onlyCadre = person.has(app.fivestar.platform.security.Roles.CADRE) && java.util.stream.Stream.of(app.fivestar.platform.security.Roles.OFFICE,
                app.fivestar.platform.security.Roles.GROUP_LEAD, app.fivestar.platform.security.Roles.LEADER, app.fivestar.platform.security.Roles.ADMIN)
                .noneMatch(person::has);
        return onlyCadre ? "/m" + link : link;
    }

    private Delivery delivery(Notification n, String channel, String target, UUID webhookId, String status, Instant at) {
        Delivery d = new Delivery();
        d.id = UUID.randomUUID();
        d.notificationId = n.id;
        d.recipientId = n.recipientId;
        d.eventId = n.eventId;
        d.channel = channel;
        d.target = target;
        d.webhookId = webhookId;
        d.status = status;
        d.nextAttemptAt = at;
        d.eventTime = n.eventTime;
        d.createdAt = n.createdAt;
        d.traceParent = Tracing.currentTraceparent();
        return d;
    }

    private static Instant endOfQuiet(Instant now, Preferences.Choice choice) {
        ZonedDateTime local = ZonedDateTime.ofInstant(now, ZONE);
        ZonedDateTime end = local.with(choice.quietEnd());
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        return end.toInstant();
    }
}
