package app.fivestar.task.task;

import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.UUID;

@Path("/api/v1/tasks")
@Tag(name = "tasks", description = "任务")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    @Inject
    TaskService tasks;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OFFICE)
    @Operation(summary = "Hand one task to a working group",
            description = "Creates the task in state ASSIGNED and publishes task.assigned.v1; the assignee is notified.")
    public Response create(@Valid @NotNull NewTask request) {
        TaskView view = TaskView.of(tasks.create(request, caller.personId()));
        return Response.created(URI.create("/api/v1/tasks/" + view.id())).tag(new EntityTag(view.etag())).entity(view).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.ADMIN})
    @Operation(summary = "Read one task", description = "Answers the task with its ETag.")
    public Response get(@PathParam("id") UUID id) {
        TaskView view = TaskView.of(tasks.get(id));
        return Response.ok(view).tag(new EntityTag(view.etag())).build();
    }
}
