package app.fivestar.platform.problem;

/** The problem types every service shares, with the status each one answers. */
public final class Problems {

    public static final String TYPE_BASE = "https://fivestar.app/problems/";

    private Problems() {
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "请求无效", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "未找到", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "无权操作", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "状态冲突", detail);
    }

    public static ProblemException preconditionFailed(String detail) {
        return new ProblemException(412, "precondition-failed", "数据已被他人修改", detail);
    }

    public static ProblemException preconditionRequired(String detail) {
        return new ProblemException(428, "precondition-required", "缺少前置条件", detail);
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(422, "unprocessable", "无法处理的请求", detail);
    }

    public static ProblemException payloadTooLarge(String detail) {
        return new ProblemException(413, "payload-too-large", "内容过大", detail);
    }

    public static ProblemException unsupportedMediaType(String detail) {
        return new ProblemException(415, "unsupported-media-type", "不支持的内容类型", detail);
    }
}
