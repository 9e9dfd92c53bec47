package app.fivestar.platform.events;

/** The Kafka topics, one per producing service; a record that cannot be processed goes to {@code <topic>.DLT}. */
public final class Topics {
    public static final String TASK_EVENTS = "task-events";
    public static final String DIRECTORY_EVENTS = "directory-events";
    public static final String REVIEW_EVENTS = "review-events";
    public static final String DEAD_LETTER_SUFFIX = ".DLT";

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
