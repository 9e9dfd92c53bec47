package app.fivestar.platform.consumer;

import app.fivestar.platform.events.CloudEvent;

import java.util.Set;

/**
 * What a service declares to consume events: the topic, the event types, and what to do with one.
 * {@link #handle} runs inside the consumer's transaction together with the inbox check, so it is called
 * at most once per event id. Throwing {@link RejectedEventException} dead-letters the record at once; a database or
 * broker failure makes the loop wait and retry it until it goes through; any other exception is retried a few times,
 * then dead-lettered (see {@link Failure}).
 */
public interface EventHandler {

    String topic();

    Set<String> types();

    void handle(CloudEvent event);
}
