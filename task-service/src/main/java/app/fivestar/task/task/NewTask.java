package app.fivestar.task.task;

import jakarta.validation.constraints.FutureOrPresent;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.LocalDate;
import java.util.UUID;

/** What the office sends to hand one task to a working group. Server-owned fields (status, version) are not here. */
@Schema(description = "A task to hand to a working group", example = """
        {"title":"清理坑塘垃圾（示例）","groupId":"00000000-0000-4000-8000-000000000013",
         "assigneeId":"00000000-0000-4000-8000-000000000104","dueDate":"2026-11-29"}""")
public record NewTask(
        @NotBlank @Size(max = 200) String title,
        @NotNull UUID groupId,
        UUID assigneeId,
        @NotNull @FutureOrPresent LocalDate dueDate) {
}
