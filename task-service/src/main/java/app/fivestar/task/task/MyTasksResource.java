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

@Path("/api/v1/me/tasks")
@Tag(name = "mobile", description = "手机端：我的任务")
@Produces(MediaType.APPLICATION_JSON)
public class MyTasksResource {

    @Inject
    TaskQueries queries;

    @Inject
    Caller caller;

    @GET
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD, Roles.OFFICE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "My tasks, as a delta since my last sync",
            description = "Without since: every task on my list (assigned to me; for a cadre also my group's unassigned ones). "
                    + "With since=<syncToken from the previous answer>: only what changed since, and the ids that left my list "
                    + "(cancelled or handed to someone else). Keep the new syncToken for the next call. At most `limit` (default and "
                    + "at most 500) changes per answer, in change order: while `more` is true, call again with the new syncToken "
                    + "(a first sync of a long list comes in pages; apply each answer as it comes).")
    public TaskQueries.Sync mine(@QueryParam("since") String since,
                                 @QueryParam("limit") @jakarta.ws.rs.DefaultValue("500") int limit) {
        return queries.mine(since, caller.personId(), caller.groupId().orElse(null), caller.is(Roles.CADRE), limit);
    }
}
