package app.fivestar.platform.consumer;

import app.fivestar.platform.events.CloudEvent;

import java.util.Set;

/**
 * What a service declares to consume events: the topic, the event types, and what to do with one.
 * {@link #handle} runs inside the consumer's transaction together with the inbox check, so it is called
 * at most once per event id; throwing makes the loop retry the record and finally dead-letter it.
 */
public interface EventHandler {

    String topic();

    Set<String> types();

    void handle(CloudEvent event);
}
