package app.fivestar.notification.delivery;

import app.fivestar.notification.inbox.Notification;
import app.fivestar.notification.webhook.Webhook;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends due deliveries. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several instances share the
 * work and never send one row twice at once. A failure is retried with exponential backoff and jitter up to
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
    Mailer mailer;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    @Inject
    app.fivestar.platform.outbox.AfterCommit afterCommit;

    @ConfigProperty(name = "fivestar.delivery.poll")
    Duration poll;

    @ConfigProperty(name = "fivestar.delivery.retry-base")
    Duration retryBase;

    @ConfigProperty(name = "fivestar.delivery.max-attempts")
    int maxAttempts;

    @ConfigProperty(name = "fivestar.links.base-url")
    String baseUrl;

    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    void onStart(@Observes StartupEvent e) {
        running = true;
        thread = new Thread(this::run, "delivery-worker");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent e) throws InterruptedException {
        running = false;
        wakeups.release();
        if (thread != null) {
            thread.join(10_000);
        }
    }

    /** Wakes the worker when the current transaction commits. */
    public void wakeAfterCommit() {
        afterCommit.once(WAKE_KEY, wakeups::release);
    }

    public void wake() {
        wakeups.release();
    }

    private void run() {
        while (running) {
            try {
                int sent = sendDue(20);
                if (sent == 0) {
                    if (wakeups.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS)) {
                        wakeups.drainPermits();
                    }
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException ex) {
                LOG.warnf("delivery worker: %s", ex.toString());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Sends up to {@code limit} due deliveries; answers how many were attempted. */
    int sendDue(int limit) {
        return QuarkusTransaction.requiringNew().timeout(120).call(() -> {
            @SuppressWarnings("unchecked")
            List<UUID> ids = em.createNativeQuery("select id from delivery where status = 'PENDING' and next_attempt_at <= ?1 "
                            + "order by next_attempt_at limit ?2 for update skip locked")
                    .setParameter(1, Instant.now(clock)).setParameter(2, limit).getResultList();
            for (UUID id : ids) {
                attempt(Delivery.findById(id));
            }
            return ids.size();
        });
    }

    private void attempt(Delivery d) {
        Notification n = Notification.findById(d.notificationId);
        d.attempts++;
        try {
            if (d.channel.equals("WEBHOOK")) {
                Webhook hook = Webhook.findById(d.webhookId);
                if (hook == null || !hook.active) {
                    throw new IllegalStateException("the webhook was removed");
                }
                webhooks.send(d, hook, n);
            } else {
                mailer.send(Mail.withText(d.target, "【五星支部创建】" + n.title,
                        n.body + (n.link == null ? "" : "\n\n查看详情：" + baseUrl + n.link)));
            }
            d.status = "DELIVERED";
            d.deliveredAt = Instant.now(clock);
            d.lastError = null;
            metrics.counter("fivestar.deliveries.attempts", "channel", d.channel, "outcome", "delivered").increment();
            metrics.timer("fivestar.notification.latency", "channel", d.channel).record(Duration.between(d.eventTime, d.deliveredAt));
        } catch (Exception ex) {
            d.lastError = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            metrics.counter("fivestar.deliveries.attempts", "channel", d.channel, "outcome", "failed").increment();
            if (d.attempts >= maxAttempts) {
                d.status = "FAILED";
                metrics.counter("fivestar.deliveries.failed", "channel", d.channel).increment();
            } else {
                long base = retryBase.toMillis() << Math.min(d.attempts - 1, 16);
                long jitter = (long) (base * ThreadLocalRandom.current().nextDouble(-0.2, 0.2));
                d.nextAttemptAt = Instant.now(clock).plusMillis(Math.min(base + jitter, Duration.ofHours(1).toMillis()));
            }
        }
    }
}
