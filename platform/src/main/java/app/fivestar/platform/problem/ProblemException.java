package app.fivestar.platform.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the caller can act on, answered as an RFC 9457 problem: {@code type} is a stable slug under
 * {@link Problems#TYPE_BASE}, {@code title} a short human summary, {@code detail} this occurrence,
 * plus extension members (e.g. {@code currentState}, {@code allowed}, {@code violations}).
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public ProblemException(int status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public ProblemException with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
