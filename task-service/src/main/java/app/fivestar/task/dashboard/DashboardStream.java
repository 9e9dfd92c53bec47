package app.fivestar.task.dashboard;

import app.fivestar.platform.security.Roles;
import app.fivestar.task.task.ChangeWindow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

@Path("/api/v1/dashboard/stream")
@Tag(name = "dashboard", description = "领导督办看板")
public class DashboardStream {

    @Inject
    EntityManager em;

    @Inject
    app.fivestar.platform.signals.CommitSignals signals;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "fivestar.dashboard.stream-recheck", defaultValue = "5s")
    Duration recheck;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @RolesAllowed({Roles.LEADER, Roles.OFFICE, Roles.TOWN_SECRETARY})
    @Operation(summary = "A 'changed' event whenever any task changes (server-sent events)",
            description = "The dashboard page reloads its numbers on each event; the event id counts the events of this stream. Pushed "
                    + "when changed counters commit (PostgreSQL NOTIFY, any instance), and looked up every few seconds besides.")
    public Multi<OutboundSseEvent> changes(@Context Sse sse) {
        AtomicReference<ChangeWindow.Snapshot> seen = new AtomicReference<>(look(null));
        AtomicLong events = new AtomicLong();
        // pushed when a fold of the counters commits (any instance); a look of its own every recheck interval besides
        Multi<Boolean> wakeUps = Multi.createBy().merging().streams(
                signals.on(DashboardFold.CHANNEL).map(x -> Boolean.TRUE),
                Multi.createFrom().ticks().every(recheck).map(x -> Boolean.FALSE));
        return app.fivestar.platform.web.EventStreams.withKeepAlive(wakeUps
                .onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(pushed -> {
                    ChangeWindow.Snapshot before = seen.get();
                    ChangeWindow.Snapshot now = look(pushed ? null : before);
                    return java.util.Optional.ofNullable(pushed || now != before ? now : null);
                })
                .filter(java.util.Optional::isPresent)
                .map(now -> {
                    seen.set(now.get());
                    String id = Long.toString(events.incrementAndGet());
                    return sse.newEventBuilder().id(id).name("changed").data(id).build();
                }), sse);
    }

    /** The database's snapshot now if a task changed since {@code seen} (or there is none yet), else {@code seen} itself. */
    private ChangeWindow.Snapshot look(ChangeWindow.Snapshot seen) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ChangeWindow window = ChangeWindow.since(seen, em);
            if (seen == null) {
                return window.upTo();
            }
            boolean changed = !em.createNativeQuery("select 1 from task t where " + window.sql("t.change_xid") + " limit 1").getResultList().isEmpty();
            return changed ? window.upTo() : seen;
        });
    }
}
