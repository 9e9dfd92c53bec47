package app.fivestar.notification.digest;

import app.fivestar.platform.locks.ClusterLock;
import app.fivestar.notification.delivery.Delivery;
import app.fivestar.notification.inbox.Notification;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
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
 * per event. Runs once across instances (a transaction-scoped advisory lock).
 */
@ApplicationScoped
public class DigestJob {

    @Inject
    EntityManager em;

    @Inject
    Mailer mailer;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "fivestar.links.base-url")
    String baseUrl;

    @Scheduled(cron = "{fivestar.digest.cron}", timeZone = "Asia/Shanghai", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        sendAll();
    }

    /** Sends every waiting digest now; answers how many e-mails went out. */
    public int sendAll() {
        return QuarkusTransaction.requiringNew().timeout(300).call(() -> {
            if (!ClusterLock.DIGEST.tryAcquire(em)) {
                return 0;
            }
            @SuppressWarnings("unchecked")
            List<UUID> recipients = em.createNativeQuery("select distinct recipient_id from delivery where status = 'DIGEST'").getResultList();
            int sent = 0;
            for (UUID recipient : recipients) {
                List<Delivery> items = Delivery.list("recipientId = ?1 and status = 'DIGEST' order by createdAt", recipient);
                StringBuilder text = new StringBuilder("今日共有 " + items.size() + " 条消息：\n\n");
                int i = 1;
                for (Delivery d : items) {
                    Notification n = Notification.findById(d.notificationId);
                    text.append(i++).append(". ").append(n.title).append(n.link == null ? "" : "  " + baseUrl + n.link).append('\n');
                }
                mailer.send(Mail.withText(items.get(0).target, "【五星支部创建】每日摘要（" + items.size() + " 条）", text.toString()));
                Instant now = Instant.now(clock);
                for (Delivery d : items) {
                    d.status = "DIGESTED";
                    d.deliveredAt = now;
                    d.attempts++;
                }
                metrics.counter("fivestar.deliveries.attempts", "channel", "EMAIL", "outcome", "digest").increment();
                sent++;
            }
            return sent;
        });
    }
}
