package app.fivestar.task.dispatch;

import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import app.fivestar.platform.web.Idempotency;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Dispatching one catalogue item again: at the item's address, but a dispatch (the catalogue does not know dispatches). */
@Path("/api/v1/catalogue/{code}/dispatch")
@Tag(name = "catalogue")
public class CatalogueDispatchResource {

    @Inject
    DispatchService dispatches;

    @Inject
    DispatchResource answers;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OFFICE)
    @Operation(summary = "Dispatch one catalogue item again",
            description = "To its own working group unless another is named, due after its default days unless a date is given; "
                    + "optionally to a person or fanned out to villages. Requires Idempotency-Key.")
    public Response redispatch(@PathParam("code") String code, DispatchService.RedispatchRequest body,
                               @HeaderParam(Idempotency.HEADER) String key) {
        DispatchResource.requireKey(key);
        var request = body == null ? new DispatchService.RedispatchRequest(null, null, null, null, null) : body;
        return idempotency.once(caller.personId().toString(), key, "redispatch:" + code, request,
                () -> answers.created(dispatches.redispatch(code, request, caller.personId())));
    }
}
