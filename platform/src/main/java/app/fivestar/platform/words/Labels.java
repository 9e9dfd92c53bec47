package app.fivestar.platform.words;

import java.util.Map;

/**
 * The Chinese words a person reads for the campaign's codes (stars, task statuses, meeting kinds, look-back
 * results, action-item outcomes). Programs keep the codes; messages, exports and pages show these. An unknown
 * code is shown as itself, never as an empty string.
 */
public final class Labels {

    private Labels() {
    }

    static final Map<String, String> STARS = Map.of("ZB", "支部过硬星", "CY", "产业兴旺星", "ST", "生态宜居星", "PA", "平安法治星",
            "WM", "文明幸福星", "GEN", "综合（跨星）");

    static final Map<String, String> TASK_STATUSES = Map.of("ASSIGNED", "待签收", "ACCEPTED", "已签收", "IN_PROGRESS", "办理中",
            "SUBMITTED", "已办结待销号", "VERIFIED", "已销号", "RETURNED", "被退回", "CANCELLED", "已取消");

    static final Map<String, String> MEETING_TYPES = Map.of("REGULAR", "例会", "OBSERVATION", "观摩", "REVIEW", "讲评会", "LOOK_BACK", "回头看");

    static final Map<String, String> MEETING_STATUSES = Map.of("DRAFT", "草稿", "OPEN", "已发通知", "IN_PROGRESS", "进行中", "CLOSED", "已结束");

    static final Map<String, String> FINDINGS = Map.of("HOLDS", "保持良好", "REBOUNDED", "出现反弹");

    static final Map<String, String> OUTCOMES = Map.of("CARRIED_OUT", "已按期落实", "LATE", "逾期", "OPEN", "办理中", "CANCELLED", "已取消",
            "NO_TASK_YET", "尚未生成任务");

    public static String star(String code) {
        return of(STARS, code);
    }

    public static String taskStatus(String code) {
        return of(TASK_STATUSES, code);
    }

    public static String meetingType(String code) {
        return of(MEETING_TYPES, code);
    }

    public static String meetingStatus(String code) {
        return of(MEETING_STATUSES, code);
    }

    public static String finding(String code) {
        return of(FINDINGS, code);
    }

    public static String outcome(String code) {
        return of(OUTCOMES, code);
    }

    private static String of(Map<String, String> words, String code) {
        return code == null ? null : words.getOrDefault(code, code);
    }
}
