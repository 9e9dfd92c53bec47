package app.fivestar.task.task;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** 延期申请 across tasks: what waits for the office's decision (approve or reject at the task's own extension path). */
@Path("/api/v1/extensions")
@Tag(name = "tasks")
@Produces(MediaType.APPLICATION_JSON)
public class ExtensionsResource {

    static final Set<String> STATUSES = Set.of("PENDING", "APPROVED", "REJECTED");

    @Inject
    EntityManager em;

    @Inject
    TaskAccess access;

    @Inject
    TrafficLight lights;

    /** One request with the task it is about (its version is the If-Match of the decision). */
    public record PendingExtension(UUID id, String status, LocalDate requestedDue, String reason, UUID requestedBy, Instant requestedAt,
                                   UUID decidedBy, Instant decidedAt, String decisionNote, TaskView task) {
    }

    @GET
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.GROUP_LEAD, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Extension requests, the longest-waiting first",
            description = "status=PENDING (default), APPROVED or REJECTED; at most `limit` (1–500, default 200). A group lead sees "
                    + "their group's only. Decide one with POST /api/v1/tasks/{taskId}/extension/{id}/approve or /reject and "
                    + "If-Match: \\\"v{task.version}\\\".")
    public List<PendingExtension> list(@QueryParam("status") @DefaultValue("PENDING") String status,
                                       @QueryParam("limit") @DefaultValue("200") int limit) {
        if (!STATUSES.contains(status)) {
            throw Problems.badRequest("status 只能是 PENDING、APPROVED 或 REJECTED");
        }
        if (limit < 1 || limit > 500) {
            throw Problems.badRequest("limit 须在 1 到 500 之间");
        }
        TaskAccess.Scope scope = access.scope();
        TypedQuery<Object[]> q = em.createQuery("select e, t from ExtensionRequest e, Task t where t.id = e.taskId and e.status = :status"
                + (scope == null ? "" : " and (" + scope.condition() + ")") + " order by e.requestedAt asc, e.id asc", Object[].class)
                .setParameter("status", status);
        if (scope != null) {
            scope.parameters().forEach(q::setParameter);
        }
        LocalDate today = lights.today();
        return q.setMaxResults(limit).getResultList().stream().map(row -> {
            ExtensionRequest e = (ExtensionRequest) row[0];
            Task t = (Task) row[1];
            return new PendingExtension(e.id, e.status, e.requestedDue, e.reason, e.requestedBy, e.requestedAt, e.decidedBy, e.decidedAt,
                    e.decisionNote, lights.view(t, today));
        }).toList();
    }
}
