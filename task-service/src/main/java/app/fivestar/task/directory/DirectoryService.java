package app.fivestar.task.directory;

import app.fivestar.platform.security.Roles;
import app.fivestar.task.tabular.RowError;
import app.fivestar.task.tabular.Table;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Imports and exports of the directory: the places (towns with their villages) and the people. All rows or none. */
@ApplicationScoped
@Transactional
public class DirectoryService {

    public static final List<String> PLACE_COLUMNS = List.of("townCode", "townName", "townKind", "villageCode", "villageName", "villageKind");
    public static final List<String> PEOPLE_COLUMNS = List.of("username", "displayName", "roles", "groupCode", "townCode", "phone", "email",
            "active", "villageCodes");
    private static final Set<String> ROLES = Set.of(Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN);
    private static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{1,63}$");

    @Inject
    DirectoryEvents events;

    public record ImportResult(int created, int updated) {
    }

    /** What a people import changed: the counts, and the people made and changed (for their sign-in accounts). */
    public record PeopleImport(int created, int updated, List<Person> createdPeople, List<Person> updatedPeople) {
    }

    public ImportResult importPlaces(Table table) {
        table.requireColumns(PLACE_COLUMNS);
        List<RowError> errors = new ArrayList<>();
        Map<String, String[]> towns = new LinkedHashMap<>();
        Map<String, String[]> villages = new LinkedHashMap<>();
        for (Table.Row r : table.rows()) {
            String townCode = nonEmpty(r, "townCode", errors);
            String townName = nonEmpty(r, "townName", errors);
            String townKind = oneOf(r, "townKind", Set.of("TOWN", "SUBDISTRICT"), errors);
            String villageCode = nonEmpty(r, "villageCode", errors);
            String villageName = nonEmpty(r, "villageName", errors);
            String villageKind = oneOf(r, "villageKind", Set.of("VILLAGE", "COMMUNITY"), errors);
            String[] town = {townCode, townName, townKind};
            String[] seen = towns.putIfAbsent(townCode, town);
            if (seen != null && !Arrays.equals(seen, town)) {
                errors.add(new RowError(r.number(), "townName", "镇（街道）" + townCode + " 在另一行中的描述不一致"));
            }
            if (villages.put(villageCode, new String[] {townCode, villageName, villageKind}) != null) {
                errors.add(new RowError(r.number(), "villageCode", "村（社区）" + villageCode + " 重复出现"));
            }
        }
        if (!errors.isEmpty()) {
            throw RowError.problem(errors);
        }
        int created = 0;
        int updated = 0;
        Map<String, UUID> townIds = new HashMap<>();
        for (String[] t : towns.values()) {
            Town town = Town.<Town>find("code", t[0]).firstResultOptional().orElse(null);
            if (town == null) {
                town = new Town();
                town.id = UUID.randomUUID();
                town.code = t[0];
                created++;
                town.name = t[1];
                town.kind = t[2];
                town.persist();
            } else {
                updated++;
                town.name = t[1];
                town.kind = t[2];
            }
            townIds.put(t[0], town.id);
        }
        for (Map.Entry<String, String[]> e : villages.entrySet()) {
            Village v = Village.<Village>find("code", e.getKey()).firstResultOptional().orElse(null);
            boolean isNew = v == null;
            if (isNew) {
                v = new Village();
                v.id = UUID.randomUUID();
                v.code = e.getKey();
                created++;
            } else {
                updated++;
            }
            v.townId = townIds.get(e.getValue()[0]);
            v.name = e.getValue()[1];
            v.kind = e.getValue()[2];
            if (isNew) {
                v.persist();
            }
        }
        Village.flush();
        for (String code : towns.keySet()) {
            events.townChanged(Town.<Town>find("code", code).firstResult());
        }
        return new ImportResult(created, updated);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Table exportPlaces() {
        Map<UUID, Town> towns = Town.<Town>listAll().stream().collect(Collectors.toMap(t -> t.id, t -> t));
        List<Table.Row> rows = new ArrayList<>();
        int n = 2;
        for (Village v : Village.<Village>listAll(Sort.by("code"))) {
            Town t = towns.get(v.townId);
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("townCode", t.code);
            cells.put("townName", t.name);
            cells.put("townKind", t.kind);
            cells.put("villageCode", v.code);
            cells.put("villageName", v.name);
            cells.put("villageKind", v.kind);
            rows.add(new Table.Row(n++, cells));
        }
        return new Table(PLACE_COLUMNS, rows);
    }

    public PeopleImport importPeople(Table table) {
        table.requireColumns(PEOPLE_COLUMNS);
        List<RowError> errors = new ArrayList<>();
        Map<String, UUID> groups = WorkingGroup.<WorkingGroup>listAll().stream().collect(Collectors.toMap(g -> g.code, g -> g.id));
        Map<String, UUID> towns = Town.<Town>listAll().stream().collect(Collectors.toMap(t -> t.code, t -> t.id));
        Map<String, UUID> villages = Village.<Village>listAll().stream().collect(Collectors.toMap(v -> v.code, v -> v.id));
        Map<String, Person> incoming = new LinkedHashMap<>();
        for (Table.Row r : table.rows()) {
            int before = errors.size();
            Person p = new Person();
            p.username = r.get("username");
            if (!USERNAME.matcher(p.username).matches()) {
                errors.add(new RowError(r.number(), "username", "2 到 64 个小写字母、数字、'.'、'_' 或 '-'"));
            }
            p.displayName = nonEmpty(r, "displayName", errors);
            Set<String> roles = Arrays.stream(r.get("roles").split("[|,;]")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
            if (roles.isEmpty() || !ROLES.containsAll(roles)) {
                errors.add(new RowError(r.number(), "roles", "须为以下一个或多个：" + ROLES + "，多个用 | 分隔"));
            }
            p.roles = String.join(",", new java.util.TreeSet<>(roles));
            p.groupId = lookup(r, "groupCode", groups, errors);
            p.townId = lookup(r, "townCode", towns, errors);
            p.phone = blankToNull(r.get("phone"));
            p.email = blankToNull(r.get("email"));
            if (p.email != null && !p.email.contains("@")) {
                errors.add(new RowError(r.number(), "email", "不是有效的电子邮件地址"));
            }
            p.active = !r.get("active").equalsIgnoreCase("false");
            p.villageIds = new HashSet<>();
            for (String code : r.get("villageCodes").split("[|,;]")) {
                if (!code.isBlank()) {
                    UUID v = villages.get(code.strip());
                    if (v == null) {
                        errors.add(new RowError(r.number(), "villageCodes", "未知的村（社区）：" + code.strip()));
                    } else {
                        p.villageIds.add(v);
                    }
                }
            }
            if (roles.contains(Roles.TOWN_SECRETARY) && p.townId == null) {
                errors.add(new RowError(r.number(), "townCode", "镇（街道）书记须填写所属镇（街道）"));
            }
            if ((roles.contains(Roles.CADRE) || roles.contains(Roles.GROUP_LEAD)) && p.groupId == null) {
                errors.add(new RowError(r.number(), "groupCode", "干部和专班负责人须填写所属专班"));
            }
            if (errors.size() == before && incoming.put(p.username, p) != null) {
                errors.add(new RowError(r.number(), "username", p.username + " 重复出现"));
            }
        }
        if (!errors.isEmpty()) {
            throw RowError.problem(errors);
        }
        List<Person> created = new ArrayList<>();
        List<Person> updated = new ArrayList<>();
        for (Person in : incoming.values()) {
            Person p = Person.byUsername(in.username).orElse(null);
            if (p == null) {
                in.id = UUID.randomUUID();
                in.persist();
                events.personChanged(in);
                created.add(in);
            } else if (!same(p, in)) {
                p.displayName = in.displayName;
                p.roles = in.roles;
                p.groupId = in.groupId;
                p.townId = in.townId;
                p.phone = in.phone;
                p.email = in.email;
                p.active = in.active;
                p.villageIds.clear();
                p.villageIds.addAll(in.villageIds);
                events.personChanged(p);
                updated.add(p);
            }
        }
        return new PeopleImport(created.size(), updated.size(), created, updated);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Table exportPeople() {
        Map<UUID, String> groups = WorkingGroup.<WorkingGroup>listAll().stream().collect(Collectors.toMap(g -> g.id, g -> g.code));
        Map<UUID, String> towns = Town.<Town>listAll().stream().collect(Collectors.toMap(t -> t.id, t -> t.code));
        Map<UUID, String> villages = Village.<Village>listAll().stream().collect(Collectors.toMap(v -> v.id, v -> v.code));
        List<Table.Row> rows = new ArrayList<>();
        int n = 2;
        for (Person p : Person.<Person>listAll(Sort.by("username"))) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("username", p.username);
            cells.put("displayName", p.displayName);
            cells.put("roles", p.roles.replace(',', '|'));
            cells.put("groupCode", p.groupId == null ? "" : groups.get(p.groupId));
            cells.put("townCode", p.townId == null ? "" : towns.get(p.townId));
            cells.put("phone", p.phone == null ? "" : p.phone);
            cells.put("email", p.email == null ? "" : p.email);
            cells.put("active", Boolean.toString(p.active));
            cells.put("villageCodes", p.villageIds.stream().map(villages::get).sorted().collect(Collectors.joining("|")));
            rows.add(new Table.Row(n++, cells));
        }
        return new Table(PEOPLE_COLUMNS, rows);
    }

    private static boolean same(Person a, Person b) {
        return a.displayName.equals(b.displayName) && a.roles.equals(b.roles) && java.util.Objects.equals(a.groupId, b.groupId)
                && java.util.Objects.equals(a.townId, b.townId) && java.util.Objects.equals(a.phone, b.phone)
                && java.util.Objects.equals(a.email, b.email) && a.active == b.active && a.villageIds.equals(b.villageIds);
    }

    private static String nonEmpty(Table.Row r, String column, List<RowError> errors) {
        String v = r.get(column);
        if (v.isEmpty()) {
            errors.add(new RowError(r.number(), column, "不能为空"));
        }
        return v;
    }

    private static String oneOf(Table.Row r, String column, Set<String> allowed, List<RowError> errors) {
        String v = r.get(column);
        if (!allowed.contains(v)) {
            errors.add(new RowError(r.number(), column, "只能是以下之一：" + new java.util.TreeSet<>(allowed)));
        }
        return v;
    }

    private static UUID lookup(Table.Row r, String column, Map<String, UUID> known, List<RowError> errors) {
        String code = r.get(column);
        if (code.isEmpty()) {
            return null;
        }
        UUID id = known.get(code);
        if (id == null) {
            errors.add(new RowError(r.number(), column, "未知的编码：" + code));
        }
        return id;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
