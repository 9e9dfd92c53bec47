package app.fivestar.platform.consumer;

/**
 * A handler's word that this event can never be processed (it names something that cannot exist, say): the record
 * goes to the dead-letter topic at once instead of being retried.
 */
public class RejectedEventException extends RuntimeException {

    public RejectedEventException(String message) {
        super(message);
    }
}
