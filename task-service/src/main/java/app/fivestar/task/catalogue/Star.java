package app.fivestar.task.catalogue;

/** The five stars in the province's fixed order, plus GEN for cross-cutting tasks. */
public enum Star {
    /** 支部过硬星 */ ZB,
    /** 产业兴旺星 */ CY,
    /** 生态宜居星 */ ST,
    /** 平安法治星 */ PA,
    /** 文明幸福星 */ WM,
    /** 综合（跨星） */ GEN
}
