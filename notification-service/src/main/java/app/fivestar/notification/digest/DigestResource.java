package app.fivestar.notification.digest;

import app.fivestar.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

@Path("/api/v1/digests")
@Tag(name = "digests", description = "每日摘要")
@Produces(MediaType.APPLICATION_JSON)
public class DigestResource {

    @Inject
    DigestJob digests;

    @POST
    @Path("send-now")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Send the waiting daily digests now", description = "Normally they go out daily at fivestar.digest.cron (Asia/Shanghai).")
    public Map<String, Integer> sendNow() {
        return Map.of("sent", digests.sendAll());
    }
}
