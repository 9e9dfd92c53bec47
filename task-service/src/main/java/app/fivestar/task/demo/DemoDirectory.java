package app.fivestar.task.demo;

import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.Town;
import app.fivestar.task.directory.Village;
import app.fivestar.task.directory.WorkingGroup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The illustrative demo district: 10 towns and sub-districts, 200 villages and communities, the campaign
 * office and seven working groups, and people for every role. Invented names; ids are derived from codes so
 * that every start builds the same district.
 */
public final class DemoDirectory {

    public static final UUID OFFICE_GROUP = fixed(1);
    /** 生态宜居专班 keeps the id the README's examples use. */
    public static final UUID ST_GROUP = fixed(0x13);

    private static final String[] TOWNS = {"青禾镇", "柳湾镇", "石桥镇", "槐林镇", "丰乐镇", "东岗镇", "西岭镇", "金田镇", "南河街道", "北关街道"};
    private static final String[] VILLAGE_STEMS = {"王庄", "李湾", "张楼", "刘店", "陈寨", "杨岗", "赵屯", "黄营", "周洼", "吴集",
            "徐桥", "孙堂", "胡庙", "朱岭", "高庄", "林湾", "何楼", "郭店", "马寨", "罗岗"};

    /** code, name, star, lead username, patron username. */
    static final String[][] GROUPS = {
            {"G-ZB", "支部过硬专班", "ZB"}, {"G-CY", "产业兴旺专班", "CY"}, {"G-ST", "生态宜居专班", "ST"},
            {"G-PA", "平安法治专班", "PA"}, {"G-WM", "文明幸福专班", "WM"}, {"G-DC", "综合督导专班", null},
            {"G-XC", "宣传培训专班", null}};

    public record District(List<WorkingGroup> groups, List<Town> towns, List<Village> villages, List<Person> people) {
    }

    private DemoDirectory() {
    }

    public static District build() {
        List<WorkingGroup> groups = new ArrayList<>();
        WorkingGroup office = group(OFFICE_GROUP, "G-OFFICE", "创建办", null, "OFFICE");
        groups.add(office);
        for (int i = 0; i < GROUPS.length; i++) {
            UUID id = GROUPS[i][0].equals("G-ST") ? ST_GROUP : fixed(0x11 + i);
            groups.add(group(id, GROUPS[i][0], GROUPS[i][1], GROUPS[i][2], "GROUP"));
        }
        List<Town> towns = new ArrayList<>();
        List<Village> villages = new ArrayList<>();
        for (int t = 0; t < TOWNS.length; t++) {
            Town town = new Town();
            town.code = String.format("T%02d", t + 1);
            town.id = derived("town:" + town.code);
            town.name = TOWNS[t];
            town.kind = TOWNS[t].endsWith("街道") ? "SUBDISTRICT" : "TOWN";
            towns.add(town);
            for (int v = 0; v < VILLAGE_STEMS.length; v++) {
                Village village = new Village();
                village.code = town.code + String.format("-V%02d", v + 1);
                village.id = derived("village:" + village.code);
                village.townId = town.id;
                boolean community = town.kind.equals("SUBDISTRICT");
                village.name = VILLAGE_STEMS[v] + (community ? "社区" : "村");
                village.kind = community ? "COMMUNITY" : "VILLAGE";
                villages.add(village);
            }
        }
        List<Person> people = new ArrayList<>();
        people.add(person(fixed(0x101), "office", "创建办 李干事（示例）", "OFFICE", OFFICE_GROUP, null));
        people.add(person(derived("person:office2"), "office2", "创建办 周干事（示例）", "OFFICE", OFFICE_GROUP, null));
        people.add(person(fixed(0x102), "leader", "区委书记（示例）", "LEADER", null, null));
        people.add(person(fixed(0x105), "admin", "系统管理员（示例）", "ADMIN", null, null));
        String[] leadNames = {"王", "陈", "刘", "杨", "赵", "黄", "吴"};
        for (int i = 0; i < GROUPS.length; i++) {
            WorkingGroup g = groups.get(i + 1);
            String prefix = g.code.substring(2).toLowerCase();
            Person patron = person(derived("person:cm-" + prefix), "cm-" + prefix, "区委常委（领" + g.name.replace("专班", "") + "，示例）",
                    "LEADER", null, null);
            UUID leadId = prefix.equals("st") ? fixed(0x103) : derived("person:" + prefix + "-lead");
            Person lead = person(leadId, prefix + "-lead", g.name + " " + leadNames[i] + "组长（示例）", "GROUP_LEAD", g.id, null);
            g.leadId = lead.id;
            g.patronId = patron.id;
            people.add(patron);
            people.add(lead);
            for (int c = 1; c <= 2; c++) {
                UUID cadreId = prefix.equals("st") && c == 1 ? fixed(0x104) : derived("person:" + prefix + "-cadre" + (c == 1 ? "" : c));
                Person cadre = person(cadreId, prefix + "-cadre" + (c == 1 ? "" : c), g.name + " 干部" + c + "（示例）", "CADRE", g.id, null);
                // each cadre follows five villages (分包到村)
                for (int v = 0; v < 5; v++) {
                    cadre.villageIds.add(villages.get((i * 10 + (c - 1) * 5 + v) * 2 % villages.size()).id);
                }
                people.add(cadre);
            }
        }
        for (Town town : towns) {
            people.add(person(derived("person:sec-" + town.code), "sec-" + town.code.toLowerCase(), town.name + "党委书记（示例）",
                    "TOWN_SECRETARY", null, town.id));
        }
        return new District(groups, towns, villages, people);
    }

    private static WorkingGroup group(UUID id, String code, String name, String star, String kind) {
        WorkingGroup g = new WorkingGroup();
        g.id = id;
        g.code = code;
        g.name = name;
        g.star = star;
        g.kind = kind;
        return g;
    }

    private static Person person(UUID id, String username, String name, String roles, UUID groupId, UUID townId) {
        Person p = new Person();
        p.id = id;
        p.username = username;
        p.displayName = name;
        p.roles = roles;
        p.groupId = groupId;
        p.townId = townId;
        p.email = username + "@fivestar.example";
        p.active = true;
        return p;
    }

    static UUID fixed(int n) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012x", n));
    }

    static UUID derived(String key) {
        return UUID.nameUUIDFromBytes(("fivestar-demo:" + key).getBytes(StandardCharsets.UTF_8));
    }
}
