package app.fivestar.task.dispatch;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A week's dispatch as the office sends it. Server-owned fields (status, version, ids) are not accepted. */
@Schema(description = "One week's dispatch (每周交办)", example = """
        {"week":"2026-W48","lines":[
          {"catalogCode":"ST-01","groupId":"00000000-0000-4000-8000-000000000013","dueDate":"2026-11-29",
           "assigneeId":"00000000-0000-4000-8000-000000000104"},
          {"title":"清理村内残垣断壁（示例）","groupId":"00000000-0000-4000-8000-000000000013","dueDate":"2026-11-29",
           "fanOut":{"townId":"9b0e1a9e-6a5c-3f8e-a8f7-6d3f0c9d8e01"}}]}""")
public record DispatchRequest(
        @NotNull @Pattern(regexp = "^[0-9]{4}-W[0-9]{2}$", message = "须为 ISO 周，例如 2026-W48") String week,
        @NotEmpty @Size(max = 200) List<@Valid @NotNull Line> lines) {

    /** One line: a catalogue item or an ad-hoc title, for a group, due on a date; optionally one person, or one task per village. */
    public record Line(
            @Size(max = 20) String catalogCode,
            @Size(max = 200) String title,
            @NotNull UUID groupId,
            @NotNull LocalDate dueDate,
            UUID assigneeId,
            @Valid FanOut fanOut) {
    }

    /** One task per village: all villages of a town, all villages of the district, or a list. */
    public record FanOut(UUID townId, Boolean allVillages, @Size(max = 50000) List<UUID> villageIds) {
    }
}
