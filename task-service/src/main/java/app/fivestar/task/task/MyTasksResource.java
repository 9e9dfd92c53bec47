package app.fivestar.task.task;

import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/me")
@Tag(name = "mobile", description = "手机端：我的任务")
@Produces(MediaType.APPLICATION_JSON)
public class MyTasksResource {

    @Inject
    TaskQueries queries;

    @Inject
    Caller caller;

    @GET
    @Path("/tasks")
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD, Roles.OFFICE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "My tasks, as a delta since my last sync",
            description = "Without since: every task on my list (assigned to me; my group's unassigned ones are under /api/v1/me/claimable). "
                    + "With since=<syncToken from the previous answer>: only what changed since, and the ids that left my list "
                    + "(cancelled or handed to someone else). Keep the new syncToken for the next call. At most `limit` (default and "
                    + "at most 500) changes per answer, in change order: while `more` is true, call again with the new syncToken "
                    + "(a first sync of a long list comes in pages; apply each answer as it comes). Each task carries what its page shows "
                    + "offline: the catalogue item's requirements (minPhotos, noteRequired), the office's return reason, the journal, "
                    + "and the ETag to base its next move on.")
    public TaskQueries.Sync mine(@QueryParam("since") String since,
                                 @QueryParam("limit") @jakarta.ws.rs.DefaultValue("500") int limit) {
        return queries.mine(since, caller.personId(), limit);
    }

    @GET
    @Path("/claimable")
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD})
    @Operation(summary = "待认领: my group's open tasks nobody has yet",
            description = "Earliest due first, cursor-paged (nextCursor). Claim one with POST /api/v1/tasks/{id}/claim and If-Match.")
    public TaskQueries.Claimable claimable(@QueryParam("cursor") String cursor,
                                           @QueryParam("limit") @jakarta.ws.rs.DefaultValue("50") int limit) {
        return queries.claimable(caller.groupId().orElse(null), cursor, limit);
    }
}
