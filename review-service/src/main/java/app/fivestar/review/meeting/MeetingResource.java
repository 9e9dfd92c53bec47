package app.fivestar.review.meeting;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import app.fivestar.platform.web.Idempotency;
import app.fivestar.platform.web.Preconditions;
import app.fivestar.platform.words.Labels;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/meetings")
@Tag(name = "meetings", description = "例会、观摩、讲评会、回头看")
@Produces(MediaType.APPLICATION_JSON)
public class MeetingResource {

    static final String[] RUNNERS = {Roles.LEADER, Roles.OFFICE};

    @Inject
    MeetingService meetings;

    @Inject
    Briefings briefings;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Schema(description = "A new meeting", example = "{\"title\":\"十一月例会\",\"type\":\"REGULAR\",\"date\":\"2026-11-28\"}")
    public record NewMeeting(@NotBlank @Size(max = 200) String title, @NotNull Meeting.Type type,
                             @jakarta.validation.constraints.Pattern(regexp = "ZB|CY|ST|PA|WM|GEN") String star, @NotNull LocalDate date,
                             @Size(max = 200) String place, UUID chairId, @Size(max = 10000) String agenda) {
    }

    public record MeetingView(UUID id, String title, Meeting.Type type, String star, LocalDate date, String place, UUID chairId, String agenda,
                              String minutes, Meeting.Status status, Instant createdAt, Instant closedAt, List<MeetingService.Attendance> attendees) {
    }

    @Schema(description = "Changes to agenda, minutes or place; a closed meeting takes only a minutes correction with its reason",
            example = "{\"minutes\":\"会议议定：……\",\"correction\":\"补记遗漏的议定事项\"}")
    public record Edit(@Size(max = 10000) String agenda, @Size(max = 50000) String minutes, @Size(max = 200) String place,
                       @Size(max = 2000) String correction) {
    }

    @Schema(description = "A decision and the action items that become tasks", example = """
            {"text":"加快坑塘整治进度","actionItems":[{"title":"完成剩余坑塘清理","groupId":"00000000-0000-4000-8000-000000000013","dueDate":"2026-12-05"}]}""")
    public record NewDecision(@NotBlank @Size(max = 5000) String text, @NotNull @Size(max = 100) List<@Valid @NotNull Item> actionItems) {
    }

    public record Item(@NotBlank @Size(max = 200) String title, @NotNull UUID groupId, UUID assigneeId, @NotNull LocalDate dueDate,
                       @jakarta.validation.constraints.Pattern(regexp = "ZB|CY|ST|PA|WM|GEN") String star, UUID townId, UUID villageId) {
    }

    public record DecisionView(UUID id, String text, Instant createdAt, List<ItemView> actionItems) {
    }

    public record ItemView(UUID id, String title, UUID groupId, UUID assigneeId, LocalDate dueDate, UUID taskId, String taskStatus,
                           String taskStatusLabel, String outcome, String outcomeLabel) {
    }

    @Schema(description = "A look-back finding about a verified task", example = "{\"taskId\":\"5b0c6a63-2d1e-4f0e-9a53-6f1f0e1c2a01\",\"result\":\"REBOUNDED\",\"note\":\"坑塘垃圾反弹\"}")
    public record NewFinding(@NotNull UUID taskId, UUID villageId, @NotBlank String result, @NotBlank @Size(max = 2000) String note) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Operation(summary = "Call a meeting", description = "Starts as DRAFT. An observation gets its star's default score sheet. Accepts Idempotency-Key.")
    public Response create(@Valid @NotNull NewMeeting body, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(caller.personId().toString(), key, "create-meeting", body, () -> {
            Meeting m = meetings.create(new MeetingService.NewMeeting(body.title(), body.type(), body.star(), body.date(), body.place(),
                    body.chairId(), body.agenda()), caller.personId());
            return Response.created(URI.create("/api/v1/meetings/" + m.id)).tag(Preconditions.etag(m.version)).entity(view(m)).build();
        });
    }

    /** A page of meetings, latest date first; {@code nextCursor} gives the next page (null: none). */
    public record MeetingPage(List<MeetingView> items, String nextCursor) {
    }

    @GET
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Meetings, latest date first, a page at a time",
            description = "Optionally of one type. `limit` 1–200 (default 50); `cursor` = the previous page's nextCursor.")
    public MeetingPage list(@QueryParam("type") Meeting.Type type, @QueryParam("cursor") String cursor,
                            @QueryParam("limit") @jakarta.ws.rs.DefaultValue("50") int limit) {
        if (limit < 1 || limit > 200) {
            throw app.fivestar.platform.problem.Problems.badRequest("limit 须在 1 到 200 之间");
        }
        MeetingService.Position after = cursor == null ? null : MeetingService.Position.decode(cursor);
        List<Meeting> rows = meetings.page(type, after, limit + 1);
        boolean more = rows.size() > limit;
        List<Meeting> page = more ? rows.subList(0, limit) : rows;
        // the page's attendees in one query, not one per meeting
        java.util.Map<UUID, List<MeetingService.Attendance>> attendees = meetings.attendeesOf(page.stream().map(m -> m.id).toList());
        return new MeetingPage(page.stream().map(m -> view(m, attendees.getOrDefault(m.id, List.of()))).toList(),
                more ? MeetingService.Position.of(page.get(page.size() - 1)).encode() : null);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "One meeting, with its ETag")
    public Response get(@PathParam("id") UUID id) {
        Meeting m = meetings.get(id);
        return Response.ok(view(m)).tag(Preconditions.etag(m.version)).build();
    }

    @POST
    @Path("{id}/open")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Operation(summary = "Open the meeting (DRAFT → OPEN)", description = "Needs If-Match.")
    public Response open(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return tagged(meetings.move(id, ifMatch, Meeting.Status.OPEN, caller.personId()));
    }

    @POST
    @Path("{id}/start")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Operation(summary = "Start the meeting (OPEN → IN_PROGRESS)", description = "Needs If-Match. Outcomes are recorded only in progress.")
    public Response start(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return tagged(meetings.move(id, ifMatch, Meeting.Status.IN_PROGRESS, caller.personId()));
    }

    @POST
    @Path("{id}/close")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Operation(summary = "Close the meeting (IN_PROGRESS → CLOSED)", description = "Needs If-Match. Afterwards only journalled minutes corrections.")
    public Response close(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return tagged(meetings.move(id, ifMatch, Meeting.Status.CLOSED, caller.personId()));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Operation(summary = "Change agenda, minutes or place", description = "Needs If-Match. A closed meeting takes a minutes correction with a reason, journalled.")
    public Response edit(@PathParam("id") UUID id, @Valid @NotNull Edit body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return tagged(meetings.edit(id, ifMatch, body.agenda(), body.minutes(), body.place(), body.correction(), caller.personId()));
    }

    @PUT
    @Path("{id}/attendees")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Operation(summary = "Record who attends (PRESENT, ABSENT, DELEGATED)", description = "Needs If-Match.")
    public Response attendees(@PathParam("id") UUID id, @NotNull List<MeetingService.Attendance> body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return tagged(meetings.attendees(id, ifMatch, body, caller.personId()));
    }

    /** One line of a meeting's journal: who did what when (a closed meeting's minutes corrections with their reason). */
    public record JournalLine(Instant at, UUID actorId, String action, String note, String oldValue, String newValue) {
    }

    @GET
    @Path("{id}/journal")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The meeting's journal, oldest first",
            description = "Every move, attendance, minutes change, decision and finding; a closed meeting's minutes correction with its reason "
                    + "and the text before and after.")
    public List<JournalLine> journal(@PathParam("id") UUID id) {
        meetings.get(id);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Meeting.getEntityManager().createNativeQuery(
                "select at, actor_id, action, note, old_value, new_value from meeting_journal where meeting_id = ?1 order by id")
                .setParameter(1, id).getResultList();
        return rows.stream().map(r -> new JournalLine(r[0] instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) r[0], (UUID) r[1],
                (String) r[2], (String) r[3], (String) r[4], (String) r[5])).toList();
    }

    @GET
    @Path("{id}/briefing")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE, Roles.GROUP_LEAD})
    @Operation(summary = "The meeting's brief",
            description = "From review-service's own projection of task-events: per group and per town, tasks dispatched, verified and overdue "
                    + "since the previous meeting of the same kind, and how each action item of that meeting went (CARRIED_OUT, LATE, OPEN).")
    public Briefings.Briefing briefing(@PathParam("id") UUID id) {
        return briefings.of(meetings.get(id));
    }

    @POST
    @Path("{id}/decisions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Operation(summary = "Record a decision", description = "Only in progress. Due dates must not be before today (Beijing): 422. Each action item publishes review.action-item-created.v1; "
            + "task-service turns it into a task linked to the meeting. Accepts Idempotency-Key.")
    public Response decide(@PathParam("id") UUID id, @Valid @NotNull NewDecision body, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(caller.personId().toString(), key, "decision:" + id, body, () -> {
            Decision d = meetings.decide(id, body.text(), body.actionItems().stream().map(i -> new MeetingService.NewActionItem(i.title(),
                    i.groupId(), i.assigneeId(), i.dueDate(), i.star(), i.townId(), i.villageId())).toList(), caller.personId());
            return Response.created(URI.create("/api/v1/meetings/" + id + "/decisions/" + d.id)).entity(decisionView(d)).build();
        });
    }

    @GET
    @Path("{id}/decisions")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The meeting's decisions and how their action items stand", description = "An action item's status follows its task.")
    public List<DecisionView> decisions(@PathParam("id") UUID id) {
        meetings.get(id);
        return Decision.<Decision>list("meetingId", Sort.by("createdAt"), id).stream().map(this::decisionView).toList();
    }

    @POST
    @Path("{id}/findings")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Operation(summary = "Record a look-back finding (回头看)", description = "HOLDS or REBOUNDED, about a task verified as this service knows it (409 otherwise, with its status; "
            + "409 too for a second rebound of a task already reopened); a rebound publishes review.task-reopened.v1 and "
            + "task-service moves the task from VERIFIED back to RETURNED with the finding as reason.")
    public Response finding(@PathParam("id") UUID id, @Valid @NotNull NewFinding body) {
        Finding f = meetings.find(id, body.taskId(), body.villageId(), body.result(), body.note(), caller.personId());
        return Response.created(URI.create("/api/v1/meetings/" + id + "/findings/" + f.id)).entity(f).build();
    }

    @GET
    @Path("{id}/findings")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The findings of a look-back inspection")
    public List<Finding> findings(@PathParam("id") UUID id) {
        return Finding.list("meetingId", Sort.by("createdAt"), id);
    }

    private DecisionView decisionView(Decision d) {
        Meeting m = Meeting.findById(d.meetingId);
        List<ItemView> items = ActionItem.<ActionItem>list("decisionId", d.id).stream().map(a -> {
            var t = app.fivestar.review.progress.TaskProgress.<app.fivestar.review.progress.TaskProgress>find("actionItemId", a.id).firstResult();
            String outcome = Briefings.outcome(a, t, briefings.today());
            return new ItemView(a.id, a.title, a.groupId, a.assigneeId, a.dueDate, t == null ? null : t.taskId, t == null ? null : t.status,
                    t == null ? null : Labels.taskStatus(t.status), outcome, Labels.outcome(outcome));
        }).toList();
        return new DecisionView(d.id, d.text, d.createdAt, items);
    }

    private Response tagged(Meeting m) {
        return Response.ok(view(m)).tag(Preconditions.etag(m.version)).build();
    }

    MeetingView view(Meeting m) {
        return view(m, meetings.attendeesOf(m.id));
    }

    MeetingView view(Meeting m, List<MeetingService.Attendance> attendees) {
        return new MeetingView(m.id, m.title, m.type, m.star, m.date, m.place, m.chairId, m.agenda, m.minutes, m.status, m.createdAt, m.closedAt,
                attendees);
    }

}
