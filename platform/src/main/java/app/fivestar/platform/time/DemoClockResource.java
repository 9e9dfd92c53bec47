package app.fivestar.platform.time;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;

/**
 * The demo clock (local profile only; 404 everywhere else): the demo history's loader moves it forward through the
 * weeks it replays, then back to real time. Observers of {@link Moved} (the overdue watch) catch up synchronously.
 */
@Path("/api/v1/admin/demo-clock")
@Tag(name = "operations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class DemoClockResource {

    /** The clock now shows {@code now}: fired (synchronously) after every move. */
    public record Moved(Instant now) {
    }

    public record Reading(Instant now, long offsetSeconds) {
    }

    public record Move(@NotNull Instant at) {
    }

    @Inject
    Clock clock;

    @Inject
    Event<Moved> moved;

    private DemoClock demo() {
        if (clock instanceof DemoClock d) {
            return d;
        }
        throw Problems.notFound("演示时钟未启用（只在本地演示环境中可用）");
    }

    @GET
    @Operation(summary = "The demo clock's time and how far it is from real time")
    public Reading read() {
        DemoClock d = demo();
        return new Reading(d.instant(), d.offsetMillis() / 1000);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the demo clock to an instant (it runs on from there)", description = "Answers when the service has caught up.")
    public Reading move(@jakarta.validation.Valid @NotNull Move body) {
        DemoClock d = demo();
        d.moveTo(body.at());
        moved.fire(new Moved(d.instant()));
        return read();
    }

    @DELETE
    @Operation(summary = "Back to real time")
    public Reading reset() {
        DemoClock d = demo();
        d.reset();
        moved.fire(new Moved(d.instant()));
        return read();
    }
}
