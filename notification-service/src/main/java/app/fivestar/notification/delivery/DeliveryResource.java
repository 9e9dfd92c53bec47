package app.fivestar.notification.delivery;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/deliveries")
@Tag(name = "deliveries", description = "外发记录（Webhook、邮件）")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    @Inject
    Caller caller;

    @Inject
    DeliveryWorker worker;

    @Inject
    Clock clock;

    public record DeliveryView(UUID id, UUID notificationId, UUID recipientId, String channel, String target, String status, int attempts,
                               Instant nextAttemptAt, String lastError, Instant createdAt, Instant deliveredAt) {
        static DeliveryView of(Delivery d) {
            String target = d.channel.equals("EMAIL") ? d.target : "webhook:" + d.target;
            return new DeliveryView(d.id, d.notificationId, d.recipientId, d.channel, target, d.status, d.attempts, d.nextAttemptAt,
                    d.lastError, d.createdAt, d.deliveredAt);
        }
    }

    @GET
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Outbound deliveries and their attempts", description = "ADMIN sees all; everyone else their own. Filter by status.")
    public List<DeliveryView> list(@QueryParam("status") String status, @QueryParam("page") @DefaultValue("0") int page,
                                   @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > 200) {
            throw Problems.badRequest("page 须 ≥ 0，size 须在 1 到 200 之间");
        }
        boolean admin = caller.is(Roles.ADMIN);
        String where = (admin ? "1 = 1" : "recipientId = :me") + (status == null ? "" : " and status = :status");
        io.quarkus.panache.common.Parameters p = new io.quarkus.panache.common.Parameters();
        if (!admin) {
            p.and("me", caller.personId());
        }
        if (status != null) {
            p.and("status", status);
        }
        return Delivery.<Delivery>find(where, Sort.descending("createdAt"), p).page(Page.of(page, size)).list().stream()
                .map(DeliveryView::of).toList();
    }

    @POST
    @Path("{id}/replay")
    @RolesAllowed(Roles.ADMIN)
    @Transactional
    @Operation(summary = "Send a delivery again", description = "A failed (or delivered) delivery goes back to the queue with its attempts reset.")
    public DeliveryView replay(@PathParam("id") UUID id) {
        Delivery d = Delivery.<Delivery>findByIdOptional(id).orElseThrow(() -> Problems.notFound("投递记录 " + id + " 不存在"));
        if (d.status.equals("DIGEST") || d.status.equals("DIGESTED")) {
            throw Problems.conflict("汇总邮件中的条目随汇总一起发送，不能单独重发").with("currentState", d.status);
        }
        d.status = "PENDING";
        d.attempts = 0;
        d.nextAttemptAt = Instant.now(clock);
        d.lastError = null;
        worker.wakeAfterCommit();
        return DeliveryView.of(d);
    }
}
