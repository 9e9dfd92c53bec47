package app.fivestar.task.task;

import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import app.fivestar.platform.web.Idempotency;
import app.fivestar.platform.web.Preconditions;
import app.fivestar.task.catalogue.Star;
import app.fivestar.task.tabular.Table;
import app.fivestar.task.tabular.TabularMedia;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

@Path("/api/v1/tasks")
@Tag(name = "tasks", description = "任务：查询与办理（签收、办理、办结、销号、退回、取消、延期）")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    static final String ALL = "ALL";

    @Inject
    TaskLifecycle lifecycle;

    @Inject
    TaskQueries queries;

    @Inject
    TaskAccess access;

    @Inject
    AdHocTasks adHocTasks;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Inject
    TrafficLight lights;

    @Inject
    TaskExport export;

    /** A single ad-hoc task: a dispatch of one line for the week of its due date. */
    @Schema(description = "One ad-hoc task for a working group", example = """
            {"title":"清理坑塘垃圾（示例）","groupId":"00000000-0000-4000-8000-000000000013",
             "assigneeId":"00000000-0000-4000-8000-000000000104","dueDate":"2026-11-29"}""")
    public record NewTask(@NotBlank @Size(max = 200) String title, @NotNull UUID groupId, UUID assigneeId, @NotNull LocalDate dueDate,
                          @Size(max = 20) String catalogCode) {
    }

    @Schema(description = "办结: the note and the ids of uploaded photos", example = """
            {"note":"坑塘已清理完毕，垃圾已清运（示例）","evidenceIds":["3f1c2b9e-1d2e-4c5b-8a7f-0e9d8c7b6a51"]}""")
    public record Submission(@Size(max = 2000) String note, @Size(max = 50) List<UUID> evidenceIds) {
    }

    @Schema(description = "Why", example = "{\"reason\":\"照片不清晰，请补充整改后照片（示例）\"}")
    public record Reason(@Size(max = 2000) String reason) {
    }

    public record Assignment(@NotNull UUID assigneeId) {
    }

    @Schema(description = "延期: the new due date and why", example = "{\"dueDate\":\"2026-12-06\",\"reason\":\"连续降雨无法施工（示例）\"}")
    public record ExtensionAsk(@NotNull LocalDate dueDate, @Size(max = 2000) String reason) {
    }

    public record Decision(@Size(max = 2000) String note) {
    }

    public record HistoryLine(Instant at, UUID actorId, String action, String client, String oldValues, String newValues, String note) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OFFICE)
    @Operation(summary = "Hand one ad-hoc task to a working group",
            description = "A dispatch of one line for the ISO week of the due date. Accepts Idempotency-Key.")
    public Response create(@Valid @NotNull NewTask request, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(caller.personId().toString(), key, "create-task", request, () -> {
            Task created = adHocTasks.create(request, caller.personId());
            return withTag(Response.created(URI.create("/api/v1/tasks/" + created.id)), created);
        });
    }

    /** The search's query parameters, the same for the list and its export. */
    public static class Search {
        @QueryParam("week") public String week;
        @QueryParam("status") public TaskStatus status;
        @QueryParam("star") public Star star;
        @QueryParam("groupId") public UUID groupId;
        @QueryParam("townId") public UUID townId;
        @QueryParam("villageId") public UUID villageId;
        @QueryParam("assigneeId") public UUID assigneeId;
        @QueryParam("overdue") public Boolean overdue;
        @QueryParam("dispatchId") public UUID dispatchId;
        @QueryParam("light") @Parameter(description = "RED, YELLOW or GREEN: the traffic light the dashboard counts (a bucket's drill-down)")
        public TrafficLight.Color light;
        @QueryParam("sort") @Parameter(description = "newest, due or submitted (the longest-waiting submission first); due when overdue=true, else newest")
        public String sort;

        TaskQueries.Filter filter() {
            return new TaskQueries.Filter(week, status, star, groupId, townId, villageId, assigneeId, overdue, dispatchId, light);
        }

        TaskQueries.Sort order() {
            return TaskQueries.Sort.of(sort, Boolean.TRUE.equals(overdue));
        }
    }

    @GET
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "Find tasks", description = "Filter by week, status, star, group, town, village, assignee, overdue, dispatch, "
            + "traffic light; newest first, sort=due for the earliest due first (the default with overdue=true: the oldest overdue on top), "
            + "sort=submitted for the longest-waiting submission first; "
            + "pass nextCursor as cursor for the following page (stable while tasks are added). "
            + "Each caller sees only the tasks their role allows.")
    public TaskQueries.Page list(@BeanParam Search search, @QueryParam("cursor") String cursor,
                                 @QueryParam("limit") @DefaultValue("50") @Parameter(description = "1 to 200") int limit) {
        return queries.list(search.filter(), search.order(), cursor, limit);
    }

    @GET
    @Path("export")
    @Produces({Table.CSV, Table.XLSX})
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Export a task search as Excel or CSV",
            description = "The filters, order and role scope of GET /api/v1/tasks; every matching task (at most 20,000: more is 422), "
                    + "with the names of group, town, village and person. format=xlsx (default) or csv.")
    public Response export(@BeanParam Search search, @QueryParam("format") @DefaultValue("xlsx") String format) {
        return TabularMedia.export(export.table(search.filter(), search.order()), format, "tasks", "任务查询导出");
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Read one task", description = "With its ETag, to send back as If-Match on the next move.")
    public Response get(@PathParam("id") UUID id) {
        return withTag(Response.ok(), access.visible(id));
    }

    @GET
    @Path("{id}/history")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The task's journal", description = "Who did what, when, from which client, with old and new values; oldest first.")
    public List<HistoryLine> history(@PathParam("id") UUID id) {
        access.visible(id);
        return JournalEntry.<JournalEntry>find("taskId", Sort.by("id"), id).list().stream()
                .map(j -> new HistoryLine(j.at, j.actorId, j.action, j.client, j.oldValues, j.newValues, j.note)).toList();
    }

    @POST
    @Path("{id}/accept")
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD})
    @Operation(summary = "签收: acknowledge the task", description = "ASSIGNED → ACCEPTED. Needs If-Match; accepts Idempotency-Key.")
    public Response accept(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(Idempotency.HEADER) String key) {
        return move(key, "accept:" + id, null, () -> lifecycle.accept(id, ifMatch));
    }

    @POST
    @Path("{id}/start")
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD})
    @Operation(summary = "办理: start work", description = "ASSIGNED, ACCEPTED or RETURNED → IN_PROGRESS. Needs If-Match; accepts Idempotency-Key.")
    public Response start(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(Idempotency.HEADER) String key) {
        return move(key, "start:" + id, null, () -> lifecycle.start(id, ifMatch));
    }

    @POST
    @Path("{id}/submit")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD})
    @Operation(summary = "办结: close with evidence", description = "→ SUBMITTED. The note and photos must satisfy the catalogue item's evidence rule "
            + "(otherwise 422 naming what is missing). Needs If-Match; accepts Idempotency-Key.")
    public Response submit(@PathParam("id") UUID id, @Valid @NotNull Submission body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @HeaderParam(Idempotency.HEADER) String key) {
        return move(key, "submit:" + id, body, () -> lifecycle.submit(id, ifMatch, body.note(), body.evidenceIds()));
    }

    @POST
    @Path("{id}/verify")
    @RolesAllowed(Roles.OFFICE)
    @Operation(summary = "销号: verify and sign off", description = "SUBMITTED → VERIFIED. Needs If-Match; accepts Idempotency-Key.")
    public Response verify(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(Idempotency.HEADER) String key) {
        return move(key, "verify:" + id, null, () -> lifecycle.verify(id, ifMatch));
    }

    @POST
    @Path("{id}/return")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OFFICE)
    @Operation(summary = "退回: send back to work with a reason", description = "SUBMITTED → RETURNED. Needs If-Match; accepts Idempotency-Key.")
    public Response returnToWork(@PathParam("id") UUID id, @Valid @NotNull Reason body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                 @HeaderParam(Idempotency.HEADER) String key) {
        return move(key, "return:" + id, body, () -> lifecycle.returnToWork(id, ifMatch, body.reason()));
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OFFICE)
    @Operation(summary = "取消: cancel the task", description = "Needs If-Match; accepts Idempotency-Key.")
    public Response cancel(@PathParam("id") UUID id, @Valid Reason body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @HeaderParam(Idempotency.HEADER) String key) {
        return move(key, "cancel:" + id, body, () -> lifecycle.cancel(id, ifMatch, body == null ? null : body.reason()));
    }

    @POST
    @Path("{id}/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD})
    @Operation(summary = "Hand the task to a member of its group", description = "Group leads assign within their own group. Needs If-Match.")
    public Response assign(@PathParam("id") UUID id, @Valid @NotNull Assignment body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @HeaderParam(Idempotency.HEADER) String key) {
        return move(key, "assign:" + id, body, () -> lifecycle.assign(id, ifMatch, body.assigneeId()));
    }

    @POST
    @Path("{id}/claim")
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD})
    @Operation(summary = "认领: take an unassigned task of my group",
            description = "The task becomes the caller's. Needs If-Match (two cadres claiming one: the second gets 412); 409 when "
                    + "someone else already has it; accepts Idempotency-Key.")
    public Response claim(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(Idempotency.HEADER) String key) {
        return move(key, "claim:" + id, null, () -> lifecycle.claim(id, ifMatch));
    }

    @POST
    @Path("{id}/extension")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD})
    @Operation(summary = "延期: ask the office for a later due date", description = "Creates a pending request (201). Needs If-Match.")
    public Response requestExtension(@PathParam("id") UUID id, @Valid @NotNull ExtensionAsk body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                     @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(caller.personId().toString(), key, "extension:" + id, body, () -> {
            ExtensionRequest r = lifecycle.requestExtension(id, ifMatch, body.dueDate(), body.reason());
            Task t = Task.findById(id);
            return Response.created(URI.create("/api/v1/tasks/" + id + "/extension/" + r.id)).tag(Preconditions.etag(t.version)).entity(r).build();
        });
    }

    @POST
    @Path("{id}/extension/{requestId}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OFFICE)
    @Operation(summary = "Approve an extension", description = "Moves the due date (journalled, task.due-date-changed.v1). Needs If-Match.")
    public Response approve(@PathParam("id") UUID id, @PathParam("requestId") UUID requestId, @Valid Decision body,
                            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(Idempotency.HEADER) String key) {
        return move(key, "approve:" + requestId, body, () -> lifecycle.decideExtension(id, requestId, ifMatch, true, body == null ? null : body.note()));
    }

    @POST
    @Path("{id}/extension/{requestId}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OFFICE)
    @Operation(summary = "Reject an extension", description = "Needs If-Match.")
    public Response reject(@PathParam("id") UUID id, @PathParam("requestId") UUID requestId, @Valid Decision body,
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(Idempotency.HEADER) String key) {
        return move(key, "reject:" + requestId, body, () -> lifecycle.decideExtension(id, requestId, ifMatch, false, body == null ? null : body.note()));
    }

    /** A one-task dispatch reports its problems by the task's own field names. */

    private Response move(String key, String operation, Object body, Supplier<Task> change) {
        return idempotency.once(caller.personId().toString(), key, operation, body == null ? "" : body,
                () -> withTag(Response.ok(), change.get()));
    }

    private Response withTag(Response.ResponseBuilder builder, Task t) {
        return builder.tag(Preconditions.etag(t.version)).entity(lights.view(t, lights.today())).build();
    }
}
