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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends due deliveries. Rows are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, so several instances share
 * the work and never send one row twice at once, and no lock or transaction is held while a webhook or SMTP server
 * answers. A failure is retried with exponential backoff and jitter up to
 * the retry limit, then marked FAILED (visible in /api/v1/deliveries, replayable by ADMIN).
 * <p>
 * The mail server being away (nothing on its port, 421, no answer: {@link MailSender.ServerAway}) is not an e-mail's
 * failure: e-mail pauses instead — the e-mail tried and the batch's others are put back uncounted, due when the pause
 * ends, with the reason in their {@code lastError}; no e-mail is claimed meanwhile; the first e-mail after the pause
 * tries the server again, and each failure in a row doubles the pause (the retry base up to a minute). Webhooks go on.
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

    /** How long a claim keeps other instances off its rows (default: twice the timeout and 30 s). */
    @ConfigProperty(name = "fivestar.delivery.lease")
    java.util.Optional<Duration> lease;

    @ConfigProperty(name = "fivestar.delivery.retry-base")
    Duration retryBase;

    @ConfigProperty(name = "fivestar.delivery.max-attempts")
    int maxAttempts;

    @ConfigProperty(name = "fivestar.links.base-url")
    String baseUrl;

    @Inject
    Workers workers;

    private Worker worker;

    /** E-mail is paused until then (the mail server away); only the worker's thread reads and writes these two. */
    private Instant mailPausedUntil = Instant.MIN;
    private int mailAwayInARow;

    void onStart(@Observes StartupEvent e) {
        checkLease();
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
     * Sends up to {@code limit} due deliveries; answers how many were attempted. Rows are claimed, and read with their
     * messages and webhooks, in one short transaction that moves their next attempt past a lease (so no other
     * instance takes them, and a worker that dies mid-send leaves them due again when the lease ends: at least once,
     * each request carrying the same X-Fivestar-Delivery id). A send starts only while the lease outlasts it: rows the
     * lease no longer covers are given back, so no other instance sends a row while this one still does. The webhook calls and e-mails then go one after another
     * with no transaction and no lock held; the batch's outcomes are recorded together in one transaction (at least
     * every delivery timeout while receivers are slow).
     */
    int sendDue(int limit) {
        Duration leaseLength = lease.orElse(timeout.multipliedBy(2).plusSeconds(30));
        long leaseEndsAt = System.nanoTime() + leaseLength.toNanos(); // read before the database's: never later than it
        Instant now = Instant.now(clock);
        boolean mailPaused = now.isBefore(mailPausedUntil);
        List<Claim> claims = QuarkusTransaction.requiringNew().call(() -> claim(now, now.plus(leaseLength), limit, mailPaused));
        if (claims.isEmpty()) {
            return 0;
        }
        List<Outcome> outcomes = new java.util.ArrayList<>();
        List<UUID> held = new java.util.ArrayList<>(); // e-mails put back while the mail server is away
        String heldFor = null;
        long recordAt = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < claims.size(); i++) {
            if (leaseEndsAt - System.nanoTime() < longestSend().toNanos()) {
                // slow receivers used the lease up: a send now could outlast it while another instance takes the row
                List<UUID> rest = claims.subList(i, claims.size()).stream().map(c -> c.delivery().id).toList();
                record(outcomes);
                putBack(held, mailPausedUntil, heldFor);
                QuarkusTransaction.requiringNew().run(() -> giveBack(rest, Instant.now(clock), null));
                return i;
            }
            Claim claim = claims.get(i);
            boolean mail = claim.delivery().channel.equals("EMAIL");
            if (mail && Instant.now(clock).isBefore(mailPausedUntil)) {
                held.add(claim.delivery().id); // the server was away a moment ago in this batch
                continue;
            }
            Exception failure = send(claim);
            if (failure instanceof MailSender.ServerAway away) {
                mailAway(away);
                held.add(claim.delivery().id);
                heldFor = away.getMessage();
                continue;
            }
            if (mail && mailAwayInARow > 0) {
                LOG.infof("The mail server answers again (it was away %d times in a row): e-mail goes on", mailAwayInARow);
                mailAwayInARow = 0;
            }
            outcomes.add(new Outcome(claim.delivery(), failure));
            if (System.nanoTime() - recordAt >= 0) { // slow receivers: what went out is recorded at least every timeout
                record(outcomes);
                recordAt = System.nanoTime() + timeout.toNanos();
            }
        }
        record(outcomes);
        putBack(held, mailPausedUntil, heldFor);
        return claims.size();
    }

    /** The mail server failed again: e-mail pauses for the retry base doubled per failure in a row, at most a minute. */
    private void mailAway(MailSender.ServerAway away) {
        mailAwayInARow++;
        Duration pause = new app.fivestar.platform.worker.Backoff(retryBase, Duration.ofMinutes(1)).after(mailAwayInARow);
        mailPausedUntil = Instant.now(clock).plus(pause);
        if (mailAwayInARow == 1) {
            LOG.warnf("%s — e-mail waits (no attempt counted) and tries again in %s", away.getMessage(), pause);
        }
        metrics.counter("fivestar.deliveries.mail-server-away").increment();
    }

    /** E-mails not sent because the mail server is away: due when the pause ends, their attempt not counted. */
    private void putBack(List<UUID> ids, Instant at, String reason) {
        if (!ids.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> giveBack(ids, at, reason));
            metrics.counter("fivestar.deliveries.held", "channel", "EMAIL").increment(ids.size());
        }
    }

    /**
     * The longest one send may take: its timeout and the senders' own margin ({@link WebhookSender} waits a second more;
     * {@link MailSender} gives an e-mail up after the timeout).
     */
    private Duration longestSend() {
        return timeout.plusSeconds(2);
    }

    /**
     * Claimed rows not attempted, or not at fault: due again at {@code at}, for this or another instance, their attempt
     * not counted; {@code reason} (when given) shown as their last error.
     */
    private void giveBack(List<UUID> ids, Instant at, String reason) {
        if (reason == null) {
            Delivery.update("nextAttemptAt = ?1, attempts = attempts - 1 where id in ?2 and status = 'PENDING'", at, ids);
        } else {
            Delivery.update("nextAttemptAt = ?1, attempts = attempts - 1, lastError = ?3 where id in ?2 and status = 'PENDING'", at, ids, reason);
        }
    }

    private void checkLease() {
        lease.filter(l -> l.compareTo(longestSend()) <= 0).ifPresent(l -> {
            throw new IllegalStateException("fivestar.delivery.lease (" + l + ") must be longer than a send may take: the timeout "
                    + timeout + " and 2 s");
        });
    }

    /** What one send needs, read in the claim's transaction (detached when it ends: no transaction stays open). */
    private record Claim(Delivery delivery, Notification notification, Webhook webhook) {
    }

    private List<Claim> claim(Instant now, Instant leaseEnd, int limit, boolean withoutMail) {
        @SuppressWarnings("unchecked")
        List<Delivery> deliveries = em.createNativeQuery(
                        "update delivery set next_attempt_at = ?1, attempts = attempts + 1 where id in (select id from delivery "
                                + "where status = 'PENDING' and next_attempt_at <= ?2" + (withoutMail ? " and channel <> 'EMAIL'" : "")
                                + " order by next_attempt_at limit ?3 for update skip locked) returning *", Delivery.class)
                .setParameter(1, leaseEnd).setParameter(2, now).setParameter(3, limit).getResultList();
        if (deliveries.isEmpty()) {
            return List.of();
        }
        Map<UUID, Notification> messages = byId(Notification.<Notification>list("id in ?1",
                deliveries.stream().map(d -> d.notificationId).distinct().toList()), n -> n.id);
        List<UUID> hookIds = deliveries.stream().map(d -> d.webhookId).filter(java.util.Objects::nonNull).distinct().toList();
        Map<UUID, Webhook> hooks = hookIds.isEmpty() ? Map.of() : byId(Webhook.<Webhook>list("id in ?1", hookIds), h -> h.id);
        return deliveries.stream().map(d -> new Claim(d, messages.get(d.notificationId), d.webhookId == null ? null : hooks.get(d.webhookId))).toList();
    }

    private static <T> Map<UUID, T> byId(List<T> rows, java.util.function.Function<T, UUID> id) {
        return rows.stream().collect(java.util.stream.Collectors.toMap(id, r -> r));
    }

    /** One webhook call or e-mail; null when it went out, the failure otherwise. */
    private Exception send(Claim claim) {
        Delivery d = claim.delivery();
        Notification n = claim.notification();
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
            return null;
        } catch (Exception ex) {
            return ex;
        }
    }

    /** A send's outcome: null when it went out, the failure otherwise; {@code claimed} as read when it was claimed. */
    private record Outcome(Delivery claimed, Exception failure) {
    }

    /**
     * The outcomes so far on their rows, in one transaction; {@code outcomes} is then empty. What went out is marked in
     * one statement (a row an administrator changed meanwhile is left alone); a failure is read and recorded on its own.
     */
    private void record(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        Map<UUID, Delivery> sent = new java.util.HashMap<>();
        Map<UUID, Exception> failed = new java.util.HashMap<>();
        for (Outcome o : outcomes) {
            if (o.failure() == null) {
                sent.put(o.claimed().id, o.claimed());
            } else {
                failed.put(o.claimed().id, o.failure());
            }
        }
        Instant at = Instant.now(clock);
        QuarkusTransaction.requiringNew().run(() -> {
            if (!sent.isEmpty()) {
                @SuppressWarnings("unchecked")
                List<UUID> marked = em.createNativeQuery("update delivery set status = 'DELIVERED', delivered_at = :at, last_error = null "
                                + "where id in (:ids) and status = 'PENDING' returning id")
                        .setParameter("at", at).setParameter("ids", List.copyOf(sent.keySet())).getResultList();
                for (UUID id : marked) {
                    Delivery d = sent.get(id);
                    metrics.counter("fivestar.deliveries.attempts", "channel", d.channel, "outcome", "delivered").increment();
                    metrics.timer("fivestar.notification.latency", "channel", d.channel).record(Duration.between(d.eventTime, at));
                }
            }
            if (!failed.isEmpty()) {
                for (Delivery d : Delivery.<Delivery>list("id in ?1", List.copyOf(failed.keySet()))) {
                    recordFailure(d, failed.get(d.id));
                }
            }
        });
        outcomes.clear();
    }

    /** Records a failed send on the row, unless an administrator changed it meanwhile. */
    private void recordFailure(Delivery d, Exception failure) {
        if (!"PENDING".equals(d.status)) {
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
