package app.fivestar.task.overdue;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Roles;
import app.fivestar.task.task.Task;
import app.fivestar.task.task.TaskAccess;
import app.fivestar.task.task.TaskStatus;
import app.fivestar.task.task.TaskView;
import app.fivestar.task.task.TrafficLight;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** 督办: the open tasks the watch has escalated at their current due date, the highest rung of the ladder first. */
@Path("/api/v1/escalations")
@Tag(name = "dashboard")
@Produces(MediaType.APPLICATION_JSON)
public class EscalationsResource {

    @Inject
    EntityManager em;

    @Inject
    TaskAccess access;

    @Inject
    TrafficLight lights;

    @Inject
    OverdueWatch watch;

    /** A task on the ladder: its highest level, when it reached it, who it is escalated to, how many days overdue. */
    public record Escalation(int level, Instant escalatedAt, UUID targetPersonId, long daysOverdue, TaskView task) {
    }

    @GET
    @RolesAllowed({Roles.LEADER, Roles.OFFICE, Roles.GROUP_LEAD, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The escalation list (督办): open tasks escalated at their current due date",
            description = "The highest level first (1 group lead, 2 the group's patron, 3 the district secretary), then the oldest due. "
                    + "A submitted, verified or cancelled task leaves the list; so does one whose due date an extension moved. "
                    + "Each role sees the tasks it may see; `groupId` narrows to one working group. `limit` 1–500 (default 200).")
    public List<Escalation> list(@QueryParam("groupId") UUID groupId, @QueryParam("limit") @DefaultValue("200") int limit) {
        if (limit < 1 || limit > 500) {
            throw Problems.badRequest("limit 须在 1 到 500 之间");
        }
        // the rungs per task at its current due date (task_signal has no entity: it is the watch's own bookkeeping)
        @SuppressWarnings("unchecked")
        List<Object[]> rungs = em.createNativeQuery("select s.task_id, max(s.level), max(s.created_at) from task_signal s "
                + "join task t on t.id = s.task_id and t.due_date = s.due_date "
                + "where s.kind = 'ESCALATED' and t.status in (:open) group by s.task_id")
                .setParameter("open", TaskStatus.open().stream().map(Enum::name).toList()).getResultList();
        if (rungs.isEmpty()) {
            return List.of();
        }
        Map<UUID, Object[]> byTask = new HashMap<>();
        rungs.forEach(r -> byTask.put((UUID) r[0], r));
        TaskAccess.Scope scope = access.scope();
        TypedQuery<Task> q = em.createQuery("select t from Task t where t.id in :ids" + (groupId == null ? "" : " and t.groupId = :groupId")
                + (scope == null ? "" : " and (" + scope.condition() + ")"), Task.class)
                .setParameter("ids", byTask.keySet());
        if (groupId != null) {
            q.setParameter("groupId", groupId);
        }
        if (scope != null) {
            scope.parameters().forEach(q::setParameter);
        }
        LocalDate today = lights.today();
        List<Escalation> list = new ArrayList<>();
        for (Task t : q.getResultList()) {
            Object[] r = byTask.get(t.id);
            int level = ((Number) r[1]).intValue();
            Instant at = r[2] instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) r[2];
            list.add(new Escalation(level, at, watch.target(t, level), ChronoUnit.DAYS.between(t.dueDate, today), lights.view(t, today)));
        }
        list.sort(java.util.Comparator.comparingInt(Escalation::level).reversed()
                .thenComparing(e -> e.task().dueDate()).thenComparing(e -> e.task().id()));
        return list.size() > limit ? list.subList(0, limit) : list;
    }
}
