package app.fivestar.task.tabular;

import app.fivestar.platform.problem.Problems;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;

/** How imports and exports travel over HTTP: CSV or .xlsx in, the chosen format out, problems for the rest. */
public final class TabularMedia {

    private TabularMedia() {
    }

    public static Table parse(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            throw Problems.badRequest("请求体为空：请上传 CSV 或 .xlsx 文件");
        }
        if (contentType == null || !(contentType.startsWith(Table.CSV) || contentType.startsWith(Table.XLSX))) {
            throw Problems.unsupportedMediaType("请上传 text/csv 或 " + Table.XLSX);
        }
        try {
            return Table.read(body, contentType);
        } catch (IllegalArgumentException e) {
            throw Problems.unprocessable(e.getMessage()).with("errors", java.util.List.of(new RowError(1, "", e.getMessage())));
        }
    }

    public static Response export(Table table, String format, String baseName, String comment) {
        return switch (format == null ? "csv" : format) {
            case "csv" -> Response.ok(table.toCsv(comment), Table.CSV + "; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"" + baseName + ".csv\"").build();
            case "xlsx" -> Response.ok(table.toXlsx(baseName), Table.XLSX)
                    .header("Content-Disposition", "attachment; filename=\"" + baseName + ".xlsx\"").build();
            default -> throw Problems.badRequest("format 只能是 csv 或 xlsx");
        };
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
