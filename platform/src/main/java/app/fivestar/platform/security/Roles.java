package app.fivestar.platform.security;

/** The roles a bearer token may carry in its {@code groups} claim. */
public final class Roles {
    /** 创建办: keeps the catalogue, dispatches, verifies. */
    public static final String OFFICE = "OFFICE";
    /** 专班负责人: leads a working group. */
    public static final String GROUP_LEAD = "GROUP_LEAD";
    /** 干部: works and closes tasks of their group. */
    public static final String CADRE = "CADRE";
    /** 区委书记、常委: reads everything, runs meetings. */
    public static final String LEADER = "LEADER";
    /** 镇/街道党(工)委书记: reads their town. */
    public static final String TOWN_SECRETARY = "TOWN_SECRETARY";
    public static final String ADMIN = "ADMIN";

    public static final java.util.List<String> ALL = java.util.List.of(OFFICE, GROUP_LEAD, CADRE, LEADER, TOWN_SECRETARY, ADMIN);

    private Roles() {
    }
}
