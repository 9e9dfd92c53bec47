package app.fivestar.task.dispatch;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import app.fivestar.platform.web.Idempotency;
import app.fivestar.task.task.Weeks;
import app.fivestar.task.task.Task;
import app.fivestar.task.task.TaskAccess;
import app.fivestar.task.task.TrafficLight;
import app.fivestar.task.task.TaskView;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/v1")
@Tag(name = "dispatches", description = "每周交办")
@Produces(MediaType.APPLICATION_JSON)
public class DispatchResource {

    @Inject
    DispatchService dispatches;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Inject
    TrafficLight lights;

    @Inject
    TaskAccess access;

    /**
     * A dispatch: {@code status} PENDING while a large dispatch's tasks are being created ({@code progress.created} of
     * {@code progress.total} so far), DONE, or FAILED with {@code problem} (problem details; nothing was created).
     */
    public record DispatchView(UUID id, String week, String status, UUID createdBy, Instant createdAt, DispatchService.Progress progress,
                               Object problem, List<TaskView> tasks) {
    }

    public record CopyForward(String week) {
    }

    /** A page of dispatches, newest first; {@code nextCursor} gives the next page (null: none). */
    public record DispatchPage(List<DispatchView> items, String nextCursor) {
    }

    @POST
    @Path("dispatches")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OFFICE)
    @Operation(summary = "Dispatch a week's tasks",
            description = "Creates every task of every line, or nothing (422 listing each bad line). A line names a catalogue item "
                    + "or an ad-hoc title, a working group, a due date, optionally a person and a fan-out (one task per village of a town, "
                    + "of the district, or of a list). Up to 1,000 tasks (fivestar.dispatch.defer-above) are created at once: 201 with the "
                    + "tasks. A larger dispatch answers 202 with Location /api/v1/dispatches/{id}: its status goes PENDING → DONE (or FAILED "
                    + "with problem details, nothing created) and progress.created counts up to progress.total; its tasks are created in one "
                    + "transaction, all or none. Requires Idempotency-Key: a replay answers the first result; the same key with another body is 422.")
    public Response create(@Valid @NotNull DispatchRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        requireKey(key);
        return idempotency.once(caller.personId().toString(), key, "dispatch", request,
                () -> created(dispatches.dispatch(request, caller.personId())));
    }

    @POST
    @Path("dispatches/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OFFICE)
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "How many tasks a dispatch would create, before sending it",
            description = "The same body and the same checks as POST /dispatches (422 listing each bad line), nothing is written: the "
                    + "task count per line and in all, and how many would stay unassigned (no person named and no cadre follows the village).")
    public DispatchService.Preview preview(@Valid @NotNull DispatchRequest request) {
        return dispatches.preview(request);
    }

    @GET
    @Path("dispatches")
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.GROUP_LEAD, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The dispatches of a week, with progress, newest first, a page at a time",
            description = "week=2026-W48; all weeks when omitted. `limit` 1–200 (default 50); `cursor` = the previous page's nextCursor. "
            + "A group lead sees the dispatches with tasks of their group, counted over those tasks only.")
    public DispatchPage list(@QueryParam("week") String week, @QueryParam("cursor") String cursor,
                             @QueryParam("limit") @jakarta.ws.rs.DefaultValue("50") int limit) {
        if (limit < 1 || limit > 200) {
            throw Problems.badRequest("limit 须在 1 到 200 之间");
        }
        TaskAccess.Scope scope = access.scope();
        String visible = scope == null ? "" : " and exists (select 1 from Task t where t.dispatchId = d.id and " + scope.condition() + ")";
        Object[] after = cursor == null ? null : DispatchService.decodeCursor(cursor);
        var query = Dispatch.getEntityManager().createQuery("select d from Dispatch d where (:week is null or d.week = :week)" + visible
                + (after == null ? "" : " and (d.createdAt < :cAt or (d.createdAt = :cAt and d.id < :cId))")
                + " order by d.createdAt desc, d.id desc", Dispatch.class).setParameter("week", week);
        if (scope != null) {
            scope.parameters().forEach(query::setParameter);
        }
        if (after != null) {
            query.setParameter("cAt", after[0]).setParameter("cId", after[1]);
        }
        List<Dispatch> rows = query.setMaxResults(limit + 1).getResultList();
        boolean more = rows.size() > limit;
        List<Dispatch> page = more ? rows.subList(0, limit) : rows;
        // one query counts the whole page's progress (not one per dispatch)
        Map<UUID, DispatchService.Progress> progress = dispatches.progress(page.stream().map(d -> d.id).toList(), scope);
        return new DispatchPage(page.stream().map(d -> view(d, progress.get(d.id), null)).toList(),
                more ? DispatchService.encodeCursor(page.get(page.size() - 1)) : null);
    }

    @GET
    @Path("dispatches/{id}")
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.GROUP_LEAD, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "One dispatch with its progress (counts by status, completion %) and its tasks",
            description = "A group lead sees only their group's tasks of it (404 when it has none). tasks=false leaves the task list out "
                    + "(what a client following a pending dispatch's progress asks for).")
    public DispatchView get(@PathParam("id") UUID id, @QueryParam("tasks") @jakarta.ws.rs.DefaultValue("true") boolean withTasks) {
        TaskAccess.Scope scope = access.scope();
        DispatchView view = view(dispatches.get(id), withTasks, scope);
        // a group lead's view counts only their group's tasks: none (or none yet) is not theirs
        if (scope != null && view.progress().byStatus().values().stream().mapToLong(Long::longValue).sum() == 0) {
            throw Problems.notFound("交办批次 " + id + " 不存在");
        }
        return view;
    }

    @POST
    @Path("dispatches/{id}/copy-forward")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OFFICE)
    @Operation(summary = "Carry a dispatch's open tasks into another week",
            description = "Every open task becomes a task of a new dispatch for the given week (default: the next one), due a week later; "
                    + "the originals are cancelled as carried forward. Requires Idempotency-Key.")
    public Response copyForward(@PathParam("id") UUID id, CopyForward body, @HeaderParam(Idempotency.HEADER) String key) {
        requireKey(key);
        String week = body == null ? null : body.week();
        if (week != null && Weeks.monday(week).isEmpty()) {
            throw Problems.badRequest("week 须为 ISO 周，例如 2026-W49");
        }
        return idempotency.once(caller.personId().toString(), key, "copy-forward:" + id, body == null ? "" : body,
                () -> created(dispatches.copyForward(id, week, caller.personId())));
    }

    /** The 201 answer of any call that made a dispatch. */

    public Response created(DispatchService.Created c) {
        LocalDate today = lights.today();
        URI location = URI.create("/api/v1/dispatches/" + c.dispatch().id);
        if (c.tasks() == null) {
            return Response.accepted(view(c.dispatch(), dispatches.progress(c.dispatch().id), null)).location(location).build();
        }
        DispatchView view = view(c.dispatch(), dispatches.progress(c.dispatch().id), c.tasks().stream().map(t -> lights.view(t, today)).toList());
        return Response.created(location).entity(view).build();
    }

    /** The view of a dispatch with its progress: while pending, how many of its tasks its job has created. */
    private DispatchView view(Dispatch d, DispatchService.Progress progress, List<TaskView> tasks) {
        if (DispatchService.PENDING.equals(d.status)) {
            progress = progress.pending(d.total == null ? 0 : d.total, dispatches.created(d.id));
        }
        Object problem = null;
        if (d.problem != null) {
            try {
                problem = app.fivestar.platform.events.EventCodec.mapper().readTree(d.problem);
            } catch (java.io.IOException e) {
                problem = d.problem;
            }
        }
        return new DispatchView(d.id, d.week, d.status, d.createdBy, d.createdAt, progress, problem, tasks);
    }

    /** The dispatch as the caller may see it: only the tasks {@code scope} lets them see, counted and listed. */
    private DispatchView view(Dispatch d, boolean withTasks, TaskAccess.Scope scope) {
        LocalDate today = lights.today();
        List<TaskView> tasks = null;
        if (withTasks) {
            var query = Task.getEntityManager().createQuery("select t from Task t where t.dispatchId = :d"
                    + (scope == null ? "" : " and " + scope.condition()) + " order by t.createdAt, t.id", Task.class).setParameter("d", d.id);
            if (scope != null) {
                scope.parameters().forEach(query::setParameter);
            }
            tasks = query.getResultList().stream().map(t -> lights.view(t, today)).toList();
        }
        return view(d, dispatches.progress(d.id, scope), tasks);
    }

    public static void requireKey(String key) {
        if (key == null || key.isBlank()) {
            throw Problems.preconditionRequired("此操作需要 Idempotency-Key 请求头（任意唯一字符串，重试时沿用同一个）");
        }
    }
}
