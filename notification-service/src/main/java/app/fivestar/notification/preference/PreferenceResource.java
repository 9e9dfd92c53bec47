package app.fivestar.notification.preference;

import app.fivestar.platform.problem.Problems;

import app.fivestar.notification.directory.KnownPerson;
import app.fivestar.notification.message.NotificationKind;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import app.fivestar.platform.web.Preconditions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalTime;
import java.util.Map;
import java.util.Set;

@Path("/api/v1/preferences")
@Tag(name = "preferences", description = "通知偏好")
@Produces(MediaType.APPLICATION_JSON)
public class PreferenceResource {

    @Inject
    Preferences preferences;

    @Inject
    Caller caller;

    @Schema(description = "Channels per kind (the inbox always receives), quiet hours, daily digest", example = """
            {"channels":{"TASK_ASSIGNED":["EMAIL"],"TASK_ESCALATED":["EMAIL","WEBHOOK"]},"quietStart":"22:00","quietEnd":"07:00","digest":true}""")
    public record PreferenceView(@NotNull Map<NotificationKind, Set<Preferences.Channel>> channels, LocalTime quietStart, LocalTime quietEnd,
                                 boolean digest) {
    }

    @GET
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "My notification preferences", description = "The defaults of my role until I change them; with an ETag.")
    public Response get() {
        Preferences.Choice c = preferences.of(caller.personId());
        Preference stored = Preference.findById(caller.personId());
        return Response.ok(new PreferenceView(c.channels(), c.quietStart(), c.quietEnd(), c.digest()))
                .tag(Preconditions.etag(stored == null ? 0 : stored.version + 1)).build();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional
    @Operation(summary = "Change my notification preferences", description = "Needs If-Match with the ETag of GET.")
    public Response put(@Valid @NotNull PreferenceView body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        if ((body.quietStart() == null) != (body.quietEnd() == null)) {
            throw Problems.unprocessable("免打扰时段须同时设置开始（quietStart）和结束（quietEnd），或都不设置")
                    .with("violations", java.util.List.of(java.util.Map.of("field", body.quietStart() == null ? "quietStart" : "quietEnd",
                            "message", "须与以下字段一起设置：" + (body.quietStart() == null ? "quietEnd" : "quietStart"))));
        }
        Preference p = Preference.findById(caller.personId());
        Preconditions.requireMatch(ifMatch, p == null ? 0 : p.version + 1);
        if (p == null) {
            p = new Preference();
            p.personId = caller.personId();
            fill(p, body);
            p.persist();
        } else {
            fill(p, body);
        }
        Preference.getEntityManager().flush();
        return Response.ok(body).tag(Preconditions.etag(p.version + 1)).build();
    }

    private void fill(Preference p, PreferenceView body) {
        p.channels = preferences.write(body.channels());
        p.quietStart = body.quietStart();
        p.quietEnd = body.quietEnd();
        p.digest = body.digest();
    }

    static boolean known(java.util.UUID id) {
        return KnownPerson.findById(id) != null;
    }
}
