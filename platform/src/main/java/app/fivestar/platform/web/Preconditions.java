package app.fivestar.platform.web;

import app.fivestar.platform.problem.Problems;
import jakarta.ws.rs.core.EntityTag;

/** ETag / If-Match for edits: a write needs the version it was based on (428 without, 412 when stale). */
public final class Preconditions {

    private Preconditions() {
    }

    public static EntityTag etag(long version) {
        return new EntityTag("v" + version);
    }

    /** Checks {@code If-Match} against the current version of the resource. */
    public static void requireMatch(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw Problems.preconditionRequired("此修改需要 If-Match 请求头，值为您上次读取时的 ETag");
        }
        String expected = "v" + currentVersion;
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            tag = tag.replace("\"", "");
            if (tag.equals("*") || tag.equals(expected)) {
                return;
            }
        }
        throw Problems.preconditionFailed("数据在您读取后已被修改，当前 ETag 为 \"" + expected + "\"")
                .with("currentETag", "\"" + expected + "\"");
    }
}
