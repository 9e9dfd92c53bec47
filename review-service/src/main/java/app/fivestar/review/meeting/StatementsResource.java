package app.fivestar.review.meeting;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import app.fivestar.review.meeting.Meeting;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** 表态发言 across meetings: a town secretary's to make (and made), or for leaders every town's, who has and who has not. */
@Path("/api/v1/statements")
@Tag(name = "scoring")
@Produces(MediaType.APPLICATION_JSON)
public class StatementsResource {

    @Inject
    Caller caller;

    /** A required statement with the meeting it was required at. */
    public record StatementView(UUID id, UUID meetingId, String meetingTitle, LocalDate meetingDate, String star, UUID townId, String townName,
                                int rank, LocalDate dueDate, String text, LocalDate statementDate, java.time.Instant recordedAt) {
    }

    @GET
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Required statements across meetings, the earliest due first",
            description = "status=pending (not made yet, default), made, or all. A town secretary sees their own town's; leaders, the office "
                    + "and administrators every town's. At most 500.")
    public List<StatementView> list(@QueryParam("status") @DefaultValue("pending") String status) {
        String made = switch (status) {
            case "pending" -> " and text is null";
            case "made" -> " and text is not null";
            case "all" -> "";
            default -> throw Problems.badRequest("status 只能是 pending（未表态）、made（已表态）或 all");
        };
        boolean ownTown = caller.is(Roles.TOWN_SECRETARY) && !caller.is(Roles.LEADER) && !caller.is(Roles.OFFICE) && !caller.is(Roles.ADMIN);
        List<Statement> rows = ownTown
                ? Statement.<Statement>find("townId = ?1" + made + " order by dueDate, rank", caller.townId().orElse(new UUID(0, 0))).range(0, 499).list()
                : Statement.<Statement>find("1 = 1" + made + " order by dueDate, rank").range(0, 499).list();
        Map<UUID, Meeting> meetings = rows.isEmpty() ? Map.of()
                : Meeting.<Meeting>list("id in ?1", rows.stream().map(s -> s.meetingId).distinct().toList()).stream()
                        .collect(Collectors.toMap(m -> m.id, Function.identity()));
        return rows.stream().map(s -> {
            Meeting m = meetings.get(s.meetingId);
            return new StatementView(s.id, s.meetingId, m == null ? null : m.title, m == null ? null : m.date, m == null ? null : m.star,
                    s.townId, s.townName, s.rank, s.dueDate, s.text, s.statementDate, s.recordedAt);
        }).toList();
    }
}
