package app.fivestar.notification.inbox;

import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/inbox")
@Tag(name = "inbox", description = "站内消息")
@Produces(MediaType.APPLICATION_JSON)
public class InboxResource {

    @Inject
    Caller caller;

    @GET
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The caller's own messages, newest first")
    public List<Message> inbox() {
        return Notification.<Notification>find("recipientId", Sort.descending("createdAt", "id"), caller.personId())
                .page(0, 100).list().stream().map(Message::of).toList();
    }

    public record Message(UUID id, String kind, String title, String body, String link, Instant createdAt, boolean read) {
        static Message of(Notification n) {
            return new Message(n.id, n.kind, n.title, n.body, n.link, n.createdAt, n.readAt != null);
        }
    }
}
