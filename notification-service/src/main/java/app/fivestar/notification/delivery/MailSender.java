package app.fivestar.notification.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Sends e-mail for the workers: the send starts on one Vert.x event loop and the worker's thread waits for its outcome,
 * at most {@code fivestar.delivery.timeout}.
 * <p>
 * Why not the blocking {@code Mailer} from the worker's thread: Vert.x's mail client (4.5) gives a new connection its
 * reply handler only when the pool hands the connection to the caller, and a caller on a thread outside Vert.x gets it
 * through a hop to the event loop. The server's greeting can arrive before that hop, and the socket drops data that no
 * handler takes. The send then waits for a greeting that has come and gone until the server gives up (GreenMail after
 * 30 s: "421 … socket timeout"), or reads the greeting's second half as the reply to EHLO ("… SMTP Service ready" as an
 * error). Started on the event loop, the connect, the hand-over and the handler happen before that loop reads anything.
 * Measured with GreenMail, a new connection per mail, 4 sending threads and 2 busy ones on 2 cores: 7 and 14 of 2,000
 * sends lost their greeting from plain threads, none of 2,000 from the event loop (MailSenderTest repeats it).
 */
@ApplicationScoped
public class MailSender {

    @Inject
    ReactiveMailer mailer;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "fivestar.delivery.timeout")
    Duration timeout;

    private volatile Context loop;

    /**
     * Sends one mail; throws when the server refused it (the caller retries), {@link ServerAway} when no mail could have
     * gone out: nothing accepts connections on the server's port, its name is unknown, it closes with 421 (service not
     * available) or it does not answer in time.
     */
    public void send(Mail mail) {
        try {
            await(loop(), () -> mailer.send(mail), timeout);
        } catch (RuntimeException e) {
            if (away(e)) {
                throw new ServerAway(e);
            }
            throw e;
        }
    }

    /** The mail server is away (down, unreachable, not serving): the mail itself is not at fault. */
    public static final class ServerAway extends IllegalStateException {
        ServerAway(Throwable cause) {
            super("the mail server is away: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
        }
    }

    static boolean away(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof NoAnswer
                    || t instanceof io.vertx.ext.mail.SMTPException s && s.getReplyCode() == 421) {
                return true;
            }
        }
        return false;
    }

    /** The server did not answer within the timeout. */
    static final class NoAnswer extends IllegalStateException {
        NoAnswer(Duration timeout) {
            super("the mail server did not answer within " + timeout);
        }
    }

    private Context loop() {
        Context c = loop;
        if (c == null) {
            synchronized (this) {
                if (loop == null) {
                    loop = ((VertxInternal) vertx).createEventLoopContext();
                }
                c = loop;
            }
        }
        return c;
    }

    /**
     * Starts {@code call} on the event loop {@code loop} and waits up to {@code timeout} on this thread, which must not be
     * an event loop. On timeout the call is cancelled and this throws.
     */
    static <T> T await(Context loop, Supplier<Uni<T>> call, Duration timeout) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("a mail is sent from a worker's thread, never from an event loop");
        }
        CompletableFuture<T> outcome = new CompletableFuture<>();
        AtomicReference<Cancellable> running = new AtomicReference<>();
        loop.runOnContext(v -> {
            try {
                running.set(call.get().subscribe().with(outcome::complete, outcome::completeExceptionally));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        });
        try {
            return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            loop.runOnContext(v -> {
                Cancellable c = running.get();
                if (c != null) {
                    c.cancel();
                }
            });
            throw new NoAnswer(timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the mail was being sent", e);
        }
    }
}
