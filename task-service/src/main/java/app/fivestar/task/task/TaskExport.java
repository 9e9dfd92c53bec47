package app.fivestar.task.task;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.words.Labels;
import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.Town;
import app.fivestar.task.directory.Village;
import app.fivestar.task.directory.WorkingGroup;
import app.fivestar.task.tabular.Table;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The task search as a spreadsheet: the same filter, order and role scope as {@code GET /api/v1/tasks}, every page of
 * it, with names instead of ids. Bounded: a search of more than {@link #MAX_ROWS} tasks is refused (narrow it).
 */
@RequestScoped
public class TaskExport {

    public static final int MAX_ROWS = 20_000;
    static final List<String> COLUMNS = List.of("编号", "任务", "星", "专班", "镇（街道）", "村（社区）", "责任人", "交办周", "期限", "状态",
            "是否逾期", "退回次数", "办结时间", "销号时间");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    @Inject
    TaskQueries queries;

    public Table table(TaskQueries.Filter filter, TaskQueries.Sort sort) {
        List<TaskView> tasks = new ArrayList<>();
        String cursor = null;
        do {
            TaskQueries.Page page = queries.list(filter, sort, cursor, TaskQueries.MAX_LIMIT);
            tasks.addAll(page.items());
            if (tasks.size() > MAX_ROWS) {
                throw Problems.unprocessable("超过 " + MAX_ROWS + " 条任务，请缩小查询条件后再导出");
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        Map<UUID, String> groups = names(WorkingGroup.<WorkingGroup>listAll(), g -> g.id, g -> g.name);
        Map<UUID, String> towns = names(Town.<Town>listAll(), t -> t.id, t -> t.name);
        Set<UUID> villageIds = tasks.stream().map(TaskView::villageId).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        Set<UUID> personIds = new HashSet<>(tasks.stream().map(TaskView::assigneeId).filter(java.util.Objects::nonNull).toList());
        Map<UUID, String> villages = villageIds.isEmpty() ? Map.of()
                : names(Village.<Village>list("id in ?1", villageIds), v -> v.id, v -> v.name);
        Map<UUID, String> people = personIds.isEmpty() ? Map.of()
                : names(Person.<Person>list("id in ?1", personIds), p -> p.id, p -> p.displayName);
        List<Table.Row> rows = new ArrayList<>();
        for (TaskView t : tasks) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("编号", t.code() == null ? "" : t.code());
            cells.put("任务", t.title());
            cells.put("星", Labels.star(t.star().name()));
            cells.put("专班", groups.getOrDefault(t.groupId(), ""));
            cells.put("镇（街道）", t.townId() == null ? "" : towns.getOrDefault(t.townId(), ""));
            cells.put("村（社区）", t.villageId() == null ? "" : villages.getOrDefault(t.villageId(), ""));
            cells.put("责任人", t.assigneeId() == null ? "未分配" : people.getOrDefault(t.assigneeId(), ""));
            cells.put("交办周", t.week());
            cells.put("期限", t.dueDate().toString());
            cells.put("状态", Labels.taskStatus(t.status().name()));
            cells.put("是否逾期", t.overdue() ? "逾期" : "");
            cells.put("退回次数", Integer.toString(t.returnedCount()));
            cells.put("办结时间", time(t.submittedAt()));
            cells.put("销号时间", time(t.verifiedAt()));
            rows.add(new Table.Row(rows.size() + 2, cells));
        }
        return new Table(COLUMNS, rows);
    }

    private static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    private static <T> Map<UUID, String> names(List<T> rows, Function<T, UUID> id, Function<T, String> name) {
        Map<UUID, String> m = new HashMap<>();
        rows.forEach(r -> m.put(id.apply(r), name.apply(r)));
        return m;
    }
}
