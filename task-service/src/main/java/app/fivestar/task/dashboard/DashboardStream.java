package app.fivestar.task.dashboard;

import app.fivestar.platform.security.Roles;
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

@Path("/api/v1/dashboard/stream")
@Tag(name = "dashboard", description = "领导督办看板")
public class DashboardStream {

    @Inject
    EntityManager em;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @RolesAllowed({Roles.LEADER, Roles.OFFICE, Roles.TOWN_SECRETARY})
    @Operation(summary = "A 'changed' event whenever any task changes (server-sent events)",
            description = "The dashboard page reloads its numbers on each event; the event id is the task change stamp.")
    public Multi<OutboundSseEvent> changes(@Context Sse sse) {
        AtomicLong last = new AtomicLong(latest());
        return app.fivestar.platform.web.EventStreams.withKeepAlive(Multi.createFrom().ticks().every(Duration.ofMillis(500))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .onOverflow().drop()
                .map(tick -> latest())
                .filter(seq -> seq > last.get())
                .map(seq -> {
                    last.set(seq);
                    return sse.newEventBuilder().id(Long.toString(seq)).name("changed").data(Long.toString(seq)).build();
                }), sse);
    }

    private long latest() {
        return QuarkusTransaction.requiringNew().call(() ->
                ((Number) em.createNativeQuery("select coalesce(max(change_seq), 0) from task").getSingleResult()).longValue());
    }
}
