package app.fivestar.review.scoring;

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

import java.util.List;
import java.util.Map;

@Path("/api/v1/rankings")
@Tag(name = "scoring", description = "打分排序、通报、表态发言")
@Produces(MediaType.APPLICATION_JSON)
public class RankingHistoryResource {

    @Inject
    Rankings rankings;

    @GET
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "Each town's rank across published observations", description = "Optionally of one star: who improves.")
    public List<Map<String, Object>> history(@QueryParam("star") String star) {
        return rankings.history(star);
    }
}
