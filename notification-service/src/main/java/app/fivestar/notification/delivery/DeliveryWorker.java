package app.fivestar.notification.delivery;

import app.fivestar.notification.inbox.Notification;
import app.fivestar.notification.webhook.Webhook;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import app.fivestar.platform.worker.Worker;
import app.fivestar.platform.worker.Workers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends due deliveries. Rows are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, so several instances share
 * the work and never send one row twice at once, and no lock or transaction is held while a webhook or SMTP server
 * answers. A failure is retried with exponential backoff and jitter up to
 * the retry limit, then marked FAILED (visible in /api/v1/deliveries, replayable by ADMIN).
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final Object WAKE_KEY = new Object();

    @Inject
    EntityManager em;

    @Inject
    WebhookSender webhooks;

    @Inject
    MailSender mailer;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    @Inject
    app.fivestar.platform.outbox.AfterCommit afterCommit;

    @ConfigProperty(name = "fivestar.delivery.poll")
    Duration poll;

    @ConfigProperty(name = "fivestar.delivery.timeout")
    Duration timeout;

    @ConfigProperty(name = "fivestar.delivery.retry-base")
    Duration retryBase;

    @ConfigProperty(name = "fivestar.delivery.max-attempts")
    int maxAttempts;

    @ConfigProperty(name = "fivestar.links.base-url")
    String baseUrl;

    @Inject
    Workers workers;

    private Worker worker;

    void onStart(@Observes StartupEvent e) {
        worker = workers.create("delivery-worker");
        worker.start(() -> sendDue(20) > 0, poll);
    }

    void onStop(@Observes ShutdownEvent e) {
        worker.stop(Duration.ofSeconds(10));
    }

    /** Wakes the worker when the current transaction commits. */
    public void wakeAfterCommit() {
        afterCommit.once(WAKE_KEY, this::wake);
    }

    public void wake() {
        if (worker != null) {
            worker.wake();
        }
    }

    /**
     * Sends up to {@code limit} due deliveries; answers how many were attempted. Rows are claimed in one short
     * transaction by moving their next attempt past a lease (so no other instance takes them, and a worker that dies
     * mid-send leaves them due again when the lease ends: at least once, each request carrying the same
     * X-Fivestar-Delivery id); the webhook call or the e-mail runs with no transaction and no lock held; its outcome is
     * recorded in a transaction of its own.
     */
    int sendDue(int limit) {
        Instant now = Instant.now(clock);
        Instant leaseEnd = now.plus(timeout.multipliedBy(2)).plusSeconds(30);
        @SuppressWarnings("unchecked")
        List<UUID> claimed = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "update delivery set next_attempt_at = ?1, attempts = attempts + 1 where id in (select id from delivery "
                                + "where status = 'PENDING' and next_attempt_at <= ?2 order by next_attempt_at limit ?3 for update skip locked) "
                                + "returning id")
                .setParameter(1, leaseEnd).setParameter(2, now).setParameter(3, limit).getResultList());
        for (UUID id : claimed) {
            attempt(id);
        }
        return claimed.size();
    }

    /** What one send needs, read before the send (detached: no transaction stays open). */
    private record Claim(Delivery delivery, Notification notification, Webhook webhook) {
    }

    private void attempt(UUID id) {
        Claim claim = QuarkusTransaction.requiringNew().call(() -> {
            Delivery d = Delivery.findById(id);
            return new Claim(d, Notification.findById(d.notificationId), d.webhookId == null ? null : Webhook.findById(d.webhookId));
        });
        Delivery d = claim.delivery();
        Notification n = claim.notification();
        Exception failure = null;
        try {
            if (d.channel.equals("WEBHOOK")) {
                if (claim.webhook() == null || !claim.webhook().active) {
                    throw new IllegalStateException("the webhook was removed");
                }
                webhooks.send(d, claim.webhook(), n);
            } else {
                mailer.send(Mail.withText(d.target, "【五星支部创建】" + n.title,
                        n.body + (n.link == null ? "" : "\n\n查看详情：" + baseUrl + n.link)));
            }
        } catch (Exception ex) {
            failure = ex;
        }
        Exception outcome = failure;
        QuarkusTransaction.requiringNew().run(() -> record(id, outcome));
    }

    /** Records a send's outcome on the row, unless an administrator changed it meanwhile. */
    private void record(UUID id, Exception failure) {
        Delivery d = Delivery.findById(id);
        if (d == null || !"PENDING".equals(d.status)) {
            return;
        }
        if (failure == null) {
            d.status = "DELIVERED";
            d.deliveredAt = Instant.now(clock);
            d.lastError = null;
            metrics.counter("fivestar.deliveries.attempts", "channel", d.channel, "outcome", "delivered").increment();
            metrics.timer("fivestar.notification.latency", "channel", d.channel).record(Duration.between(d.eventTime, d.deliveredAt));
            return;
        }
        d.lastError = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        metrics.counter("fivestar.deliveries.attempts", "channel", d.channel, "outcome", "failed").increment();
        // a target refused by WebhookTargets (it now points inside the network) is not tried again
        boolean refused = failure instanceof app.fivestar.platform.problem.ProblemException p && p.status() == 422;
        if (d.attempts >= maxAttempts || refused) {
            d.status = "FAILED";
            metrics.counter("fivestar.deliveries.failed", "channel", d.channel).increment();
        } else {
            long base = retryBase.toMillis() << Math.min(d.attempts - 1, 16);
            long jitter = (long) (base * ThreadLocalRandom.current().nextDouble(-0.2, 0.2));
            d.nextAttemptAt = Instant.now(clock).plusMillis(Math.min(base + jitter, Duration.ofHours(1).toMillis()));
        }
    }
}
