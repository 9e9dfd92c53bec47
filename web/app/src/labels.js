// The Chinese words people read for the campaign's codes; the services' platform.words.Labels says the same.
export const STARS = { ZB: "支部过硬星", CY: "产业兴旺星", ST: "生态宜居星", PA: "平安法治星", WM: "文明幸福星", GEN: "综合（跨星）" };
export const TASK_STATUS = { ASSIGNED: "待签收", ACCEPTED: "已签收", IN_PROGRESS: "办理中", SUBMITTED: "已办结待销号", VERIFIED: "已销号",
  RETURNED: "被退回", CANCELLED: "已取消" };
export const MEETING_TYPES = { REGULAR: "例会", OBSERVATION: "观摩", REVIEW: "讲评会", LOOK_BACK: "回头看" };
export const MEETING_STATUS = { DRAFT: "草稿", OPEN: "已发通知", IN_PROGRESS: "进行中", CLOSED: "已结束" };
export const OUTCOMES = { CARRIED_OUT: "已按期落实", LATE: "逾期", OPEN: "办理中", CANCELLED: "已取消", NO_TASK_YET: "尚未生成任务" };
export const ACTIONS = { create: "交办", assign: "分配", accept: "签收", start: "开始办理", submit: "办结提交", verify: "销号", return: "退回",
  reopen: "回头看重新打开", cancel: "取消", "request-extension": "申请延期", "decide-extension": "审批延期", "approve-extension": "同意延期",
  "reject-extension": "不同意延期", claim: "认领", "carry-forward": "结转", escalate: "督办" };

/** The word for a code, or the code itself when there is none. */
export function word(table, code) {
  return code == null ? "" : (table[code] || code);
}

/** The kinds of message notification-service sends (each its own event name on the inbox stream). */
export const MESSAGE_KINDS = { TASK_ASSIGNED: "新任务", TASK_DUE_SOON: "即将到期", TASK_OVERDUE: "已逾期", TASK_ESCALATED: "督办",
  TASK_SUBMITTED: "待销号", TASK_RETURNED: "被退回", ACTION_ITEM: "会议交办", RANKING_PUBLISHED: "排名通报", STATEMENT_REQUIRED: "表态发言" };
