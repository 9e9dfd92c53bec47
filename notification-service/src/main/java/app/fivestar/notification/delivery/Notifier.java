package app.fivestar.notification.delivery;

import app.fivestar.notification.directory.KnownPerson;
import app.fivestar.notification.inbox.Notification;
import app.fivestar.notification.preference.Preferences;
import app.fivestar.notification.message.Message;
import app.fivestar.notification.webhook.Webhook;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.sql.BulkInsert;
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
 * queues its outbound deliveries (a poll's messages and deliveries are written together, {@link #write}) as the person's preferences say: e-mail (or the daily digest), webhooks
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

    @Inject
    app.fivestar.platform.sql.WriteBehind writeBehind;

    /** A message and its outbound deliveries, written with the transaction's others ({@link #write}). */
    private record Made(Notification message, List<Delivery> deliveries) {
    }

    /** The key of this service's rows in the transaction's write-behind queue. */
    private final app.fivestar.platform.sql.WriteBehind.Writer<Made> writer = this::write;

    /**
     * Queues the notification of {@code recipient} for {@code event} and its deliveries; they are written with the
     * transaction's others when its work is done. A second notification of the same event for the same person (a
     * redelivery, a parked event routed again) is not written, nor are its deliveries.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void notify(CloudEvent event, UUID recipient, Message message) {
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
        writeBehind.add(writer, new Made(n, deliveries));
        if (!deliveries.isEmpty()) {
            worker.wakeAfterCommit();
        }
    }

    private static final List<BulkInsert.Column> NOTIFICATION = List.of(BulkInsert.Column.of("id", "uuid"),
            BulkInsert.Column.of("recipient_id", "uuid"), BulkInsert.Column.of("kind", "text"), BulkInsert.Column.of("urgent", "boolean"),
            BulkInsert.Column.of("title", "text"), BulkInsert.Column.of("body", "text"), BulkInsert.Column.of("link", "text"),
            BulkInsert.Column.of("event_id", "uuid"), BulkInsert.Column.of("event_time", "timestamptz"),
            BulkInsert.Column.of("created_at", "timestamptz"));

    private static final List<BulkInsert.Column> DELIVERY = List.of(BulkInsert.Column.of("id", "uuid"),
            BulkInsert.Column.of("notification_id", "uuid"), BulkInsert.Column.of("recipient_id", "uuid"),
            BulkInsert.Column.of("event_id", "uuid"), BulkInsert.Column.of("channel", "text"), BulkInsert.Column.of("target", "text"),
            BulkInsert.Column.of("webhook_id", "uuid"), BulkInsert.Column.of("status", "text"), BulkInsert.Column.of("attempts", "int"),
            BulkInsert.Column.of("next_attempt_at", "timestamptz"), BulkInsert.Column.of("event_time", "timestamptz"),
            BulkInsert.Column.of("created_at", "timestamptz"), BulkInsert.Column.of("trace_parent", "text"));

    /**
     * The transaction's messages in one insert (a message already made for that event and person is left out), their
     * deliveries in another (only those of messages written; a group webhook hears an event once, however many of its
     * members it concerns), and one signal per recipient for the live streams, delivered on commit.
     */
    private void write(List<Made> made) {
        List<Object[]> messages = new ArrayList<>(made.size());
        List<Object[]> deliveries = new ArrayList<>();
        java.util.Set<String> recipients = new java.util.LinkedHashSet<>();
        for (Made m : made) {
            Notification n = m.message();
            messages.add(new Object[] {n.id, n.recipientId, n.kind, n.urgent, n.title, n.body, n.link, n.eventId, n.eventTime, n.createdAt});
            for (Delivery d : m.deliveries()) {
                deliveries.add(new Object[] {d.id, d.notificationId, d.recipientId, d.eventId, d.channel, d.target, d.webhookId, d.status,
                        0, d.nextAttemptAt, d.eventTime, d.createdAt, d.traceParent});
            }
            recipients.add(n.recipientId.toString());
        }
        BulkInsert.insert(em, "notification", NOTIFICATION, messages, "on conflict (event_id, recipient_id) do nothing");
        BulkInsert.insert(em, "delivery", DELIVERY, deliveries,
                "where exists (select 1 from notification n where n.id = cast(u.c1 as uuid)) on conflict (event_id, channel, target) do nothing");
        signals.signalAll(app.fivestar.notification.inbox.InboxResource.INBOX_CHANNEL, recipients); // live streams, on commit
        for (Made m : made) {
            metrics.timer("fivestar.notification.latency", "channel", "INBOX").record(Duration.between(m.message().eventTime, m.message().createdAt));
        }
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
