package app.fivestar.notification.webhook;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/webhooks")
@Tag(name = "webhooks", description = "Webhook（钉钉、企业微信群机器人或通用 JSON）")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    @Inject
    WebhookTargets targets;

    @Schema(description = "A webhook for me, or for my group (groupId, group leads and the office)", example = """
            {"url":"https://oapi.dingtalk.com/robot/send?access_token=…","format":"DINGTALK","secret":"SEC…"}""")
    public record NewWebhook(@NotBlank @Size(max = 2000) @Pattern(regexp = "^https?://.+", message = "必须是 http(s) 网址") String url,
                             @NotNull Webhook.Format format, UUID groupId, @Size(max = 200) String secret) {
    }

    public record WebhookView(UUID id, String url, Webhook.Format format, UUID ownerPersonId, UUID ownerGroupId, boolean active,
                              Instant createdAt, String secret) {
        static WebhookView of(Webhook w, boolean withSecret) {
            return new WebhookView(w.id, w.url, w.format, w.ownerPersonId, w.ownerGroupId, w.active, w.createdAt, withSecret ? w.secret : null);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional
    @Operation(summary = "Register a webhook", description = "My notifications (or, for the office, a group's, with groupId) are also posted there, "
            + "to public addresses only (or the district's allowed hosts), "
            + "signed with HMAC-SHA256 of the body in X-Fivestar-Signature. The secret is shown only in this answer; "
            + "one is generated when none is given (DingTalk: give the robot's SEC… secret).")
    public Response register(@Valid @NotNull NewWebhook body) {
        Webhook w = new Webhook();
        w.id = UUID.randomUUID();
        if (body.groupId() != null) {
            // a group's channel (a DingTalk or WeCom group robot) speaks for the district: the office sets it up
            if (!caller.is(Roles.OFFICE) && !caller.is(Roles.ADMIN)) {
                throw Problems.forbidden("只有创建办可以登记专班群的 Webhook");
            }
            w.ownerGroupId = body.groupId();
        } else {
            w.ownerPersonId = caller.personId();
        }
        targets.check(body.url());
        w.url = body.url();
        w.format = body.format();
        w.secret = body.secret() == null || body.secret().isBlank() ? newSecret() : body.secret();
        w.active = true;
        w.createdBy = caller.personId();
        w.createdAt = Instant.now(clock);
        w.persist();
        return Response.created(URI.create("/api/v1/webhooks/" + w.id)).entity(WebhookView.of(w, true)).build();
    }

    @GET
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "My webhooks and my group's")
    public List<WebhookView> mine() {
        UUID group = caller.groupId().orElse(new UUID(0, 0));
        return Webhook.<Webhook>list("active = true and (ownerPersonId = ?1 or ownerGroupId = ?2)", caller.personId(), group).stream()
                .map(w -> WebhookView.of(w, false)).toList();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional
    @Operation(summary = "Remove a webhook")
    public Response remove(@PathParam("id") UUID id) {
        Webhook w = Webhook.findById(id);
        boolean mine = w != null && (caller.personId().equals(w.ownerPersonId) || caller.personId().equals(w.createdBy) || caller.is(Roles.ADMIN));
        if (w == null || !mine) {
            throw Problems.notFound("Webhook 接收地址 " + id + " 不存在");
        }
        w.active = false;
        return Response.noContent().build();
    }

    private static String newSecret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
