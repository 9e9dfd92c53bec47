package app.fivestar.review.scoring;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import app.fivestar.review.meeting.Meeting;
import app.fivestar.review.meeting.MeetingService;
import app.fivestar.review.meeting.Statement;
import app.fivestar.review.meeting.StatementRevision;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import app.fivestar.platform.web.Preconditions;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/v1/meetings")
@Tag(name = "scoring", description = "打分排序、通报、表态发言")
@Produces(MediaType.APPLICATION_JSON)
public class ScoringResource {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @Inject
    MeetingService meetings;

    @Inject
    ScoreSheets sheets;

    @Inject
    Rankings rankings;

    @Inject
    Caller caller;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** Who issues the 通报: its red title line (红头) and signature. */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "fivestar.tongbao.issuer")
    String issuer;

    @Schema(description = "One statement as recorded", example = "{\"text\":\"我镇排名靠后，表态如下：……\",\"date\":\"2026-12-03\"}")
    public record StatementText(@NotBlank @Size(max = 20000) String text, @NotNull LocalDate date) {
    }

    public record ScoreRow(UUID scorerId, UUID townId, String criterion, BigDecimal value) {
    }

    @GET
    @Path("{id}/score-sheet")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "The observation's score sheet: weighted criteria and the scorers")
    public Response sheet(@PathParam("id") UUID id) {
        meetings.get(id);
        return Response.ok(sheets.of(id)).tag(Preconditions.etag(sheets.version(id))).build();
    }

    @PUT
    @Path("{id}/score-sheet")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Operation(summary = "Set the score sheet", description = "Needs If-Match (the sheet's ETag from GET; the sheet has its own version). "
            + "Criteria with positive weights (computed: ON_TIME_RATE, the share of the town's tasks of the meeting's star due in the period "
            + "that were verified on time) and the people who score; a scorer who is a town's secretary does not score that town.")
    public Response setSheet(@PathParam("id") UUID id, @NotNull ScoreSheets.Sheet body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        ScoreSheets.Sheet sheet = sheets.replace(meetings.get(id), body, ifMatch);
        return Response.ok(sheet).tag(Preconditions.etag(sheets.version(id))).build();
    }

    @POST
    @Path("{id}/scores")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "Enter my scores", description = "Only people named on the sheet, and only their own scores (0–100 per town and criterion). "
            + "All rows or none.")
    public Map<String, Integer> score(@PathParam("id") UUID id, @NotNull @Size(max = 2000) List<Rankings.ScoreInput> body) {
        rankings.enter(meetings.get(id), caller.personId(), caller.is(Roles.TOWN_SECRETARY) ? caller.townId() : java.util.Optional.empty(), body);
        return Map.of("recorded", body.size());
    }

    @GET
    @Path("{id}/scores")
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.GROUP_LEAD, Roles.CADRE, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Scores entered so far", description = "Leaders and the office see all; a town secretary their own town's; a scorer their own.")
    @SuppressWarnings("unchecked")
    public List<ScoreRow> scores(@PathParam("id") UUID id, @QueryParam("townId") UUID townId) {
        meetings.get(id);
        String where = "meeting_id = ?1";
        UUID filter = null;
        if (caller.is(Roles.LEADER) || caller.is(Roles.OFFICE)) {
            filter = townId;
            where += townId == null ? "" : " and town_id = ?2";
        } else if (caller.is(Roles.TOWN_SECRETARY)) {
            UUID own = caller.townId().orElseThrow(() -> Problems.forbidden("您的令牌中没有所属镇（街道）"));
            if (townId != null && !townId.equals(own)) {
                throw Problems.forbidden("镇（街道）书记只能查看本镇的分数");
            }
            filter = own;
            where += " and town_id = ?2";
        } else {
            filter = caller.personId();
            where += " and scorer_id = ?2";
        }
        var q = em.createNativeQuery("select scorer_id, town_id, criterion, value from score where " + where + " order by town_id, criterion, scorer_id")
                .setParameter(1, id);
        if (where.contains("?2")) {
            q.setParameter(2, filter);
        }
        List<Object[]> rows = q.getResultList();
        return rows.stream().map(r -> new ScoreRow((UUID) r[0], (UUID) r[1], (String) r[2], (BigDecimal) r[3])).toList();
    }

    @GET
    @Path("{id}/ranking")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "Towns ordered by weighted score", description = "Ties share a rank (1, 2, 2, 4); per-criterion breakdown; missing scores "
            + "are listed and leave a town without total or rank. Before publication only leaders and the office see it.")
    public Rankings.Ranking ranking(@PathParam("id") UUID id) {
        Meeting m = meetings.get(id);
        requireVisible(m);
        return rankings.ranking(m);
    }

    @POST
    @Path("{id}/ranking/publish")
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Operation(summary = "Publish the ranking (通报)", description = "Freezes it, publishes review.ranking-published.v1 and requires a statement "
            + "(表态发言) of each of the lowest N towns' secretaries (review.statement-required.v1). 409 while scores are missing.")
    public Rankings.Ranking publish(@PathParam("id") UUID id) {
        return rankings.publish(meetings.get(id), caller.personId());
    }

    @GET
    @Path("{id}/ranking/export")
    @Produces({XLSX, MediaType.TEXT_HTML})
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "The published ranking as Excel (format=xlsx) or a printable page in Chinese (format=html)")
    public Response export(@PathParam("id") UUID id, @QueryParam("format") String format) {
        Meeting m = meetings.get(id);
        if (!rankings.isPublished(id)) {
            throw Problems.conflict("排名尚未通报");
        }
        Rankings.Ranking r = rankings.ranking(m);
        List<ScoreSheets.Criterion> criteria = sheets.of(id).criteria();
        List<Statement> required = Statement.list("meetingId", Sort.by("rank", "townName"), id);
        if ("html".equals(format)) {
            return Response.ok(RankingExport.html(m, r, criteria, required, issuer, java.time.LocalDate.now(clock.withZone(java.time.ZoneId.of("Asia/Shanghai")))),
                    MediaType.TEXT_HTML + ";charset=UTF-8").build();
        }
        if (format != null && !"xlsx".equals(format)) {
            throw Problems.badRequest("format 只能是 xlsx 或 html");
        }
        return Response.ok(RankingExport.xlsx(m, r, criteria, required), XLSX).header("Content-Disposition", RankingExport.attachment(m)).build();
    }

    @GET
    @Path("{id}/statements")
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The statements required at this meeting", description = "A town secretary sees their own town's.")
    public List<Statement> statements(@PathParam("id") UUID id) {
        meetings.get(id);
        if (caller.is(Roles.TOWN_SECRETARY) && !caller.is(Roles.LEADER) && !caller.is(Roles.OFFICE)) {
            return Statement.list("meetingId = ?1 and townId = ?2", Sort.by("rank"), id, caller.townId().orElse(new UUID(0, 0)));
        }
        return Statement.list("meetingId", Sort.by("rank"), id);
    }

    @POST
    @Path("{id}/statements/{statementId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.TOWN_SECRETARY)
    @Transactional
    @Operation(summary = "Record my town's statement (表态发言)", description = "Only the secretary of that town. Made again, the latest text "
            + "is shown and every earlier one kept (GET …/history).")
    public Statement record(@PathParam("id") UUID id, @PathParam("statementId") UUID statementId, @Valid @NotNull StatementText body) {
        Statement s = Statement.findById(statementId);
        if (s == null || !s.meetingId.equals(id)) {
            throw Problems.notFound("表态发言 " + statementId + " 不存在");
        }
        if (!caller.townId().map(s.townId::equals).orElse(false)) {
            throw Problems.forbidden("只有 " + s.townName + " 的书记可以提交此表态发言");
        }
        s.text = body.text();
        s.statementDate = body.date();
        s.recordedBy = caller.personId();
        s.recordedAt = Instant.now(clock);
        StatementRevision revision = new StatementRevision();
        revision.statementId = s.id;
        revision.text = s.text;
        revision.date = s.statementDate;
        revision.recordedBy = s.recordedBy;
        revision.recordedAt = s.recordedAt;
        revision.persist();
        return s;
    }

    @GET
    @Path("{id}/statements/{statementId}/history")
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Every text of a statement, oldest first", description = "A town secretary sees their own town's.")
    public List<StatementRevision> statementHistory(@PathParam("id") UUID id, @PathParam("statementId") UUID statementId) {
        Statement s = Statement.findById(statementId);
        boolean secretaryOnly = caller.is(Roles.TOWN_SECRETARY) && !caller.is(Roles.LEADER) && !caller.is(Roles.OFFICE) && !caller.is(Roles.ADMIN);
        if (s == null || !s.meetingId.equals(id) || (secretaryOnly && !caller.townId().map(s.townId::equals).orElse(false))) {
            throw Problems.notFound("表态发言 " + statementId + " 不存在");
        }
        return StatementRevision.list("statementId", Sort.by("id"), statementId);
    }

    private void requireVisible(Meeting m) {
        if (!caller.is(Roles.LEADER) && !caller.is(Roles.OFFICE) && !rankings.isPublished(m.id)) {
            throw Problems.forbidden("排名尚未通报");
        }
    }
}
