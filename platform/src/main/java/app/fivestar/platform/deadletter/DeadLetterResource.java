package app.fivestar.platform.deadletter;

import app.fivestar.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Dead letters of the topics this service consumes: seen and replayed by an administrator. */
@Path("/api/v1/admin/dead-letters")
@Tag(name = "operations", description = "运维：死信查看与重放")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class DeadLetterResource {

    @Inject
    DeadLetters deadLetters;

    @GET
    @Operation(summary = "The topics this service consumes (their .DLT can be listed and replayed here)")
    public Set<String> topics() {
        return deadLetters.topics();
    }

    @GET
    @Path("{topic}")
    @Operation(summary = "The dead letters of a consumed topic, oldest first",
            description = "With why each died (dlt.error.*), where it came from (dlt.original.*) and its value; at most 500.")
    public List<DeadLetters.Letter> list(@PathParam("topic") String topic) {
        return deadLetters.list(topic);
    }

    @POST
    @Path("{topic}/{partition}/{offset}/replay")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Operation(summary = "Put one dead letter back on its topic",
            description = "With no body the record is sent again as it was; a body replaces its value (a fixed copy). "
                    + "The consumer's inbox makes replaying something already handled harmless.")
    public DeadLetters.Letter replay(@PathParam("topic") String topic, @PathParam("partition") int partition, @PathParam("offset") long offset,
                                     byte[] fixed) {
        return deadLetters.replay(topic, partition, offset, fixed == null || fixed.length == 0 ? null : fixed);
    }

    @POST
    @Path("{topic}/replay-all")
    @Operation(summary = "Put every listed dead letter of a topic back on it")
    public Map<String, Integer> replayAll(@PathParam("topic") String topic) {
        return Map.of("replayed", deadLetters.replayAll(topic));
    }
}
