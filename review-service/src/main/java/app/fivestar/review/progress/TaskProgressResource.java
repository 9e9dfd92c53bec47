package app.fivestar.review.progress;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.util.UUID;

@Path("/api/v1/task-progress")
@Tag(name = "task progress", description = "任务进展（会议简报用）")
@Produces(MediaType.APPLICATION_JSON)
public class TaskProgressResource {

    @GET
    @Path("{taskId}")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "What review-service knows of one task", description = "Read from review-service's own projection of task-events.")
    public Progress get(@PathParam("taskId") UUID taskId) {
        TaskProgress p = TaskProgress.<TaskProgress>findByIdOptional(taskId)
                .orElseThrow(() -> Problems.notFound("本服务尚无此任务的进展：" + taskId));
        return new Progress(p.taskId, p.title, p.star, p.groupId, p.dueDate, p.status);
    }

    public record Progress(UUID taskId, String title, String star, UUID groupId, LocalDate dueDate, String status) {
    }
}
