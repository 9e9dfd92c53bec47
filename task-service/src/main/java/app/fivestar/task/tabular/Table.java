package app.fivestar.task.tabular;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sheet of rows with named columns, read from and written to CSV (UTF-8, header row, '#' comment lines)
 * or Excel (.xlsx, first sheet, header row). Row numbers are those a person sees in the file: the header is
 * row 1 and the first data row is row 2.
 */
public record Table(List<String> columns, List<Row> rows) {

    public static final String CSV = "text/csv";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** One data row: its number in the file and its cells by column name (blank cells are empty strings). */
    public record Row(int number, Map<String, String> cells) {
        public String get(String column) {
            String v = cells.get(column);
            return v == null ? "" : v.strip();
        }
    }

    /** A 422 problem naming every expected column the file lacks; the header is row 1. */
    public void requireColumns(List<String> expected) {
        List<RowError> missing = expected.stream().filter(c -> !columns.contains(c)).map(c -> new RowError(1, c, "缺少此列")).toList();
        if (!missing.isEmpty()) {
            throw RowError.problem(missing);
        }
    }

    public static Table read(byte[] content, String mediaType) {
        if (mediaType != null && mediaType.startsWith(XLSX)) {
            return readXlsx(content);
        }
        return readCsv(content);
    }

    /** The parser's own words and the line, without its Java internals (source objects, reference chains). */
    private static String readable(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException p) {
                // the parser's own words are English and name its internals: say where, in Chinese
                return p.getLocation() == null ? "文件无法按 CSV（逗号分隔）读取，请检查引号是否成对"
                        : "第 " + p.getLocation().getLineNr() + " 行无法按 CSV（逗号分隔）读取，请检查引号是否成对";
            }
        }
        return "文件无法按 CSV（逗号分隔）读取";
    }

    public static Table readCsv(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        // Row numbers count the comment lines at the top, so that they match what an editor shows.
        String[] lines = text.split("\r?\n", -1);
        int firstDataLine = 0;
        while (firstDataLine < lines.length && lines[firstDataLine].startsWith("#")) {
            firstDataLine++;
        }
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        List<List<String>> records = new ArrayList<>();
        try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class)
                .with(CsvSchema.emptySchema().withComments()).readValues(text)) {
            while (it.hasNext()) {
                records.add(it.next());
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable CSV file: " + readable(e));
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("the file is empty: a header row is required");
        }
        List<String> header = records.get(0).stream().map(String::strip).toList();
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            rows.add(new Row(firstDataLine + 1 + i, toMap(header, records.get(i))));
        }
        return new Table(header, rows);
    }

    public static Table readXlsx(byte[] content) {
        try (Workbook workbook = new XSSFWorkbook(new ByteArrayInputStream(content))) {
            Sheet sheet = workbook.getSheetAt(0);
            DataFormatter formatter = new DataFormatter();
            org.apache.poi.ss.usermodel.Row headerRow = sheet.getRow(sheet.getFirstRowNum());
            if (headerRow == null) {
                throw new IllegalArgumentException("the sheet is empty: a header row is required");
            }
            List<String> header = new ArrayList<>();
            for (int c = 0; c < headerRow.getLastCellNum(); c++) {
                header.add(text(formatter, headerRow.getCell(c)));
            }
            List<Row> rows = new ArrayList<>();
            for (int r = sheet.getFirstRowNum() + 1; r <= sheet.getLastRowNum(); r++) {
                org.apache.poi.ss.usermodel.Row row = sheet.getRow(r);
                if (row == null) {
                    continue;
                }
                List<String> values = new ArrayList<>();
                boolean blank = true;
                for (int c = 0; c < header.size(); c++) {
                    String v = text(formatter, row.getCell(c));
                    blank &= v.isBlank();
                    values.add(v);
                }
                if (!blank) {
                    rows.add(new Row(r + 1, toMap(header, values)));
                }
            }
            return new Table(header, rows);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("the sheet")) {
                throw iae;
            }
            throw new IllegalArgumentException("not a readable .xlsx file: " + e.getMessage());
        }
    }

    public byte[] toCsv(String comment) {
        CsvMapper mapper = new CsvMapper();
        StringWriter out = new StringWriter();
        if (comment != null) {
            out.write("# " + comment + "\n");
        }
        try {
            var writer = mapper.writerFor(List.class).with(CsvSchema.emptySchema());
            List<List<String>> all = new ArrayList<>();
            all.add(columns);
            for (Row row : rows) {
                all.add(columns.stream().map(row::get).toList());
            }
            for (List<String> line : all) {
                out.write(writer.writeValueAsString(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public byte[] toXlsx(String sheetName) {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = workbook.createSheet(sheetName);
            org.apache.poi.ss.usermodel.Row header = sheet.createRow(0);
            for (int c = 0; c < columns.size(); c++) {
                header.createCell(c, CellType.STRING).setCellValue(columns.get(c));
            }
            for (int r = 0; r < rows.size(); r++) {
                org.apache.poi.ss.usermodel.Row row = sheet.createRow(r + 1);
                for (int c = 0; c < columns.size(); c++) {
                    row.createCell(c, CellType.STRING).setCellValue(rows.get(r).get(columns.get(c)));
                }
            }
            workbook.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> toMap(List<String> header, List<String> values) {
        Map<String, String> cells = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
            cells.put(header.get(c), c < values.size() && values.get(c) != null ? values.get(c) : "");
        }
        return cells;
    }

    private static String text(DataFormatter formatter, Cell cell) {
        return cell == null ? "" : formatter.formatCellValue(cell).strip();
    }
}
