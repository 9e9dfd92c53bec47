package app.fivestar.task.dashboard;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

/** /dashboard leads to the leaders' page (a static page that signs in with a token and reads the dashboard API). */
@Path("/dashboard")
@Tag(name = "dashboard", description = "领导督办看板")
public class DashboardPage {

    @GET
    @PermitAll
    @Operation(summary = "The leaders' dashboard page (redirects to /dashboard/)")
    public Response page() {
        return Response.seeOther(URI.create("/dashboard/")).build();
    }
}
