package app.fivestar.task.dashboard;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/api/v1/dashboard")
@Tag(name = "dashboard", description = "领导督办看板")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    @Inject
    Dashboard dashboard;

    @Inject
    Caller caller;

    @GET
    @Path("summary")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE, Roles.TOWN_SECRETARY})
    @Operation(summary = "Totals by status and traffic light, completion %, overdue count", description = "For one ISO week (week=2026-W48) or the whole campaign.")
    public Dashboard.Summary summary(@QueryParam("week") String week) {
        return dashboard.summary(week, scope());
    }

    @GET
    @Path("overdue")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE, Roles.TOWN_SECRETARY})
    @Operation(summary = "Overdue tasks per group, town, village or star", description = "Count and oldest overdue age (days) per bucket, "
            + "sorted by count (most first) or age (oldest first), the first `limit` buckets (default 100, at most 5000), "
            + "each with the task query that lists them.")
    public List<Dashboard.Bucket> overdue(@QueryParam("by") @DefaultValue("group") String by, @QueryParam("sort") @DefaultValue("count") String sort,
                                          @QueryParam("limit") @DefaultValue("100") int limit) {
        return dashboard.overdue(by, sort, limit, scope());
    }

    @GET
    @Path("trend")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE, Roles.TOWN_SECRETARY})
    @Operation(summary = "Per week: dispatched, verified on time, verified late, overdue", description = "The last `weeks` ISO weeks (default 12).")
    public List<Dashboard.TrendWeek> trend(@QueryParam("weeks") @DefaultValue("12") int weeks) {
        return dashboard.trend(weeks, scope());
    }

    @GET
    @Path("lights")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE, Roles.TOWN_SECRETARY})
    @Operation(summary = "Red / yellow / green per working group or town", description = "by=group (default) or by=town.")
    public List<Dashboard.Lights> lights(@QueryParam("by") @DefaultValue("group") String by) {
        return dashboard.lights(by, scope());
    }

    @GET
    @Path("oldest-overdue")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE, Roles.TOWN_SECRETARY})
    @Operation(summary = "The tasks overdue longest, oldest first")
    public List<Dashboard.OverdueTask> oldest(@QueryParam("limit") @DefaultValue("10") int limit) {
        return dashboard.oldest(limit, scope());
    }

    /** Leaders and the office see the district; a town secretary only their town. */
    private UUID scope() {
        if (caller.is(Roles.LEADER) || caller.is(Roles.OFFICE)) {
            return null;
        }
        return caller.townId().orElseThrow(() -> Problems.forbidden("您的令牌中没有所属镇（街道）"));
    }
}
