package app.fivestar.notification.digest;

import app.fivestar.notification.delivery.Delivery;
import app.fivestar.notification.inbox.Notification;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import app.fivestar.platform.worker.Backoff;
import app.fivestar.platform.worker.Worker;
import app.fivestar.platform.worker.Workers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The daily digest: for every person who chose it, one e-mail listing the day's items instead of one e-mail
 * per event. Several instances may run it at once: each recipient's items are claimed with a lease, so each
 * digest goes out once.
 */
@ApplicationScoped
public class DigestJob {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DigestJob.class);
    /** How long a run may take to mail one recipient before another run may take the items over. */
    private static final java.time.Duration LEASE = java.time.Duration.ofMinutes(5);

    @Inject
    EntityManager em;

    @Inject
    app.fivestar.notification.delivery.MailSender mailer;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "fivestar.links.base-url")
    String baseUrl;

    @Inject
    Workers workers;

    private Worker worker;
    private final java.util.concurrent.atomic.AtomicBoolean due = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The digest is a background worker: the cron only says it is due; the worker sends it, and while the database or
     * the mail server is away (nothing could be sent) tries again with backoff until it goes through — an outage at
     * 18:00 delays the digest, it does not skip a day. A recipient that fails while others are mailed waits for the
     * next run.
     */
    void onStart(@Observes StartupEvent e) {
        worker = workers.create("digest", new Backoff(java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(10)));
        worker.start(() -> {
            if (due.get()) {
                Progress progress = new Progress();
                sendAll(waiting(), progress);
                if (progress.failed.get() > 0 && progress.sent.get() == 0) {
                    // nothing went out: the mail server (or the database) is away — try again with backoff
                    throw new IllegalStateException("no digest could be sent (" + progress.failed.get() + " failed)");
                }
                // some went out: a recipient that failed alone (a refused address) waits for the next run instead of
                // keeping the worker failing, and the service unready, for as long as the address is wrong
                due.set(false);
            }
            return false;
        }, java.time.Duration.ofMinutes(1));
    }

    void onStop(@Observes ShutdownEvent e) {
        worker.stop(java.time.Duration.ofSeconds(10));
    }

    @Scheduled(cron = "{fivestar.digest.cron}", timeZone = "Asia/Shanghai", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        due.set(true);
        worker.wake();
    }

    /**
     * Sends every waiting digest now; answers how many e-mails went out. One recipient at a time: their items are
     * claimed with a lease in a short transaction, mailed with no transaction open, then marked in another, so a
     * failure for one recipient neither stops the others nor makes anyone already mailed get the digest again.
     */
    public int sendAll() {
        return sendAll(waiting(), new Progress());
    }

    /** How a run goes: recipients done so far, of them mailed, and failed (their items wait for the next run). */
    public static final class Progress {
        public final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        public final java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        public final java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
    }

    /** The people with digest items waiting. */
    @SuppressWarnings("unchecked")
    public List<UUID> waiting() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select distinct recipient_id from delivery where status = 'DIGEST'").getResultList());
    }

    /** Sends these recipients' digests one after the other, counting in {@code progress}; answers how many went out. */
    public int sendAll(List<UUID> recipients, Progress progress) {
        for (UUID recipient : recipients) {
            try {
                if (sendTo(recipient)) {
                    progress.sent.incrementAndGet();
                }
            } catch (RuntimeException e) {
                progress.failed.incrementAndGet();
                LOG.warnf("digest for %s not sent (the items wait for the next run): %s", recipient, e.toString());
                metrics.counter("fivestar.deliveries.attempts", "channel", "EMAIL", "outcome", "digest-failed").increment();
            }
            progress.done.incrementAndGet();
        }
        return progress.sent.get();
    }

    private record Item(UUID delivery, String target, String title, String link) {
    }

    private boolean sendTo(UUID recipient) {
        Instant now = Instant.now(clock);
        @SuppressWarnings("unchecked")
        List<Item> items = QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> claimed = em.createNativeQuery("update delivery set lease_until = ?1 where recipient_id = ?2 and status = 'DIGEST' "
                            + "and (lease_until is null or lease_until < ?3) returning id")
                    .setParameter(1, now.plus(LEASE)).setParameter(2, recipient).setParameter(3, now).getResultList();
            return Delivery.<Delivery>list("id in ?1 order by createdAt", claimed).stream().map(d -> {
                Notification n = Notification.findById(d.notificationId);
                return new Item(d.id, d.target, n.title, n.link);
            }).toList();
        });
        if (items.isEmpty()) {
            return false; // another instance has them
        }
        StringBuilder text = new StringBuilder("今日共有 " + items.size() + " 条消息：\n\n");
        int i = 1;
        for (Item item : items) {
            text.append(i++).append(". ").append(item.title()).append(item.link() == null ? "" : "  " + baseUrl + item.link()).append('\n');
        }
        try {
            mailer.send(Mail.withText(items.get(0).target(), "【五星支部创建】每日摘要（" + items.size() + " 条）", text.toString()));
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update delivery set lease_until = null where id in (:ids)")
                    .setParameter("ids", items.stream().map(Item::delivery).toList()).executeUpdate());
            throw e;
        }
        Instant done = Instant.now(clock);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update delivery set status = 'DIGESTED', delivered_at = :done, "
                        + "attempts = attempts + 1, lease_until = null where id in (:ids) and status = 'DIGEST'")
                .setParameter("done", done).setParameter("ids", items.stream().map(Item::delivery).toList()).executeUpdate());
        metrics.counter("fivestar.deliveries.attempts", "channel", "EMAIL", "outcome", "digest").increment();
        return true;
    }
}
