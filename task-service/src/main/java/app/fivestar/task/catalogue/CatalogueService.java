package app.fivestar.task.catalogue;

import app.fivestar.platform.problem.Problems;
import app.fivestar.task.directory.WorkingGroup;
import app.fivestar.task.tabular.RowError;
import app.fivestar.task.tabular.Table;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Keeps the catalogue: reads, and whole-file imports that apply all rows or none. */
@ApplicationScoped
@Transactional
public class CatalogueService {

    public static final List<String> COLUMNS = List.of("code", "title", "description", "star", "groupCode", "level",
            "minPhotos", "noteRequired", "defaultDays", "active");
    private static final Pattern CODE = Pattern.compile("^(ZB|CY|ST|PA|WM|GEN)-[0-9]{2,3}$");

    public record ImportResult(int created, int updated, int unchanged) {
    }

    /** Validates every row first; answers a 422 problem listing every bad cell, or applies all rows (upsert by code). */
    public ImportResult importTable(Table table) {
        table.requireColumns(COLUMNS);
        List<RowError> errors = new ArrayList<>();
        Set<String> groupCodes = new HashSet<>(WorkingGroup.<WorkingGroup>listAll().stream().map(g -> g.code).toList());
        Map<String, CatalogItem> parsed = new LinkedHashMap<>();
        for (Table.Row row : table.rows()) {
            CatalogItem item = parse(row, groupCodes, errors);
            if (item != null && parsed.put(item.code, item) != null) {
                errors.add(new RowError(row.number(), "code", "编号 " + item.code + " 重复出现"));
            }
        }
        if (!errors.isEmpty()) {
            throw RowError.problem(errors);
        }
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        for (CatalogItem incoming : parsed.values()) {
            CatalogItem existing = CatalogItem.findById(incoming.code);
            if (existing == null) {
                incoming.persist();
                created++;
            } else if (copy(incoming, existing)) {
                updated++;
            } else {
                unchanged++;
            }
        }
        return new ImportResult(created, updated, unchanged);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Table export() {
        List<Table.Row> rows = new ArrayList<>();
        int n = 2;
        for (CatalogItem i : CatalogItem.<CatalogItem>listAll(Sort.by("star").and("code"))) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("code", i.code);
            cells.put("title", i.title);
            cells.put("description", i.description);
            cells.put("star", i.star.name());
            cells.put("groupCode", i.groupCode);
            cells.put("level", i.level.name());
            cells.put("minPhotos", Integer.toString(i.minPhotos));
            cells.put("noteRequired", Boolean.toString(i.noteRequired));
            cells.put("defaultDays", Integer.toString(i.defaultDays));
            cells.put("active", Boolean.toString(i.active));
            rows.add(new Table.Row(n++, cells));
        }
        return new Table(COLUMNS, rows);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public CatalogItem get(String code) {
        return CatalogItem.<CatalogItem>findByIdOptional(code).orElseThrow(() -> Problems.notFound("任务清单中没有此项：" + code));
    }

    private static boolean copy(CatalogItem from, CatalogItem to) {
        boolean changed = !from.title.equals(to.title) || !from.description.equals(to.description) || from.star != to.star
                || !from.groupCode.equals(to.groupCode) || from.level != to.level || from.minPhotos != to.minPhotos
                || from.noteRequired != to.noteRequired || from.defaultDays != to.defaultDays || from.active != to.active;
        to.title = from.title;
        to.description = from.description;
        to.star = from.star;
        to.groupCode = from.groupCode;
        to.level = from.level;
        to.minPhotos = from.minPhotos;
        to.noteRequired = from.noteRequired;
        to.defaultDays = from.defaultDays;
        to.active = from.active;
        return changed;
    }

    private static CatalogItem parse(Table.Row row, Set<String> groupCodes, List<RowError> errors) {
        int before = errors.size();
        CatalogItem item = new CatalogItem();
        item.code = row.get("code");
        if (!CODE.matcher(item.code).matches()) {
            errors.add(new RowError(row.number(), "code", "格式应如 ST-07（星级代码、短横线、编号）"));
        }
        item.title = required(row, "title", 200, errors);
        item.description = row.get("description");
        item.star = enumValue(Star.class, row, "star", errors);
        if (item.star != null && CODE.matcher(item.code).matches() && !item.code.startsWith(item.star.name() + "-")) {
            errors.add(new RowError(row.number(), "star", "编号 " + item.code + " 属于另一个星级"));
        }
        item.groupCode = row.get("groupCode");
        if (!groupCodes.contains(item.groupCode)) {
            errors.add(new RowError(row.number(), "groupCode", "未知的专班 '" + item.groupCode + "'"));
        }
        item.level = enumValue(CatalogItem.Level.class, row, "level", errors);
        item.minPhotos = integer(row, "minPhotos", 0, 20, errors);
        item.noteRequired = bool(row, "noteRequired", errors);
        item.defaultDays = integer(row, "defaultDays", 1, 366, errors);
        item.active = row.get("active").isEmpty() || bool(row, "active", errors);
        return errors.size() == before ? item : null;
    }

    private static String required(Table.Row row, String column, int max, List<RowError> errors) {
        String v = row.get(column);
        if (v.isEmpty()) {
            errors.add(new RowError(row.number(), column, "不能为空"));
        } else if (v.length() > max) {
            errors.add(new RowError(row.number(), column, "超过 " + max + " 个字符"));
        }
        return v;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Table.Row row, String column, List<RowError> errors) {
        try {
            return Enum.valueOf(type, row.get(column));
        } catch (IllegalArgumentException e) {
            errors.add(new RowError(row.number(), column, "只能是以下之一：" + java.util.Arrays.toString(type.getEnumConstants())));
            return null;
        }
    }

    private static int integer(Table.Row row, String column, int min, int max, List<RowError> errors) {
        try {
            int v = Integer.parseInt(row.get(column));
            if (v < min || v > max) {
                errors.add(new RowError(row.number(), column, "须在 " + min + " 到 " + max));
            }
            return v;
        } catch (NumberFormatException e) {
            errors.add(new RowError(row.number(), column, "须为整数"));
            return 0;
        }
    }

    private static boolean bool(Table.Row row, String column, List<RowError> errors) {
        String v = row.get(column).toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "true", "是", "yes", "1" -> true;
            case "false", "否", "no", "0" -> false;
            default -> {
                errors.add(new RowError(row.number(), column, "只能是 true 或 false"));
                yield false;
            }
        };
    }
}
