package app.fivestar.notification.routing;

import app.fivestar.notification.delivery.Notifier;
import app.fivestar.platform.consumer.EventHandler;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;
import java.util.UUID;

/** Turns task and review facts into notifications for the right people. */
@ApplicationScoped
public class Router {

    @Inject
    RoutingRules rules;

    @Inject
    Notifier notifier;

    @Inject
    PendingRouting pending;

    public void route(CloudEvent event) {
        RoutingRules.Route route = rules.route(event);
        for (UUID recipient : route.recipients()) {
            notifier.notify(event, recipient, route.message());
        }
        for (UUID missing : route.waitFor()) {
            pending.park(missing, event);
        }
    }

    /** The consumer of task-events. */
    @ApplicationScoped
    public static class TaskEvents implements EventHandler {
        @Inject
        Router router;

        @Override
        public String topic() {
            return Topics.TASK_EVENTS;
        }

        @Override
        public Set<String> types() {
            return RoutingRules.TASK_TYPES;
        }

        @Override
        public void handle(CloudEvent event) {
            router.route(event);
        }
    }

    /** The consumer of review-events. */
    @ApplicationScoped
    public static class ReviewEvents implements EventHandler {
        @Inject
        Router router;

        @Override
        public String topic() {
            return Topics.REVIEW_EVENTS;
        }

        @Override
        public Set<String> types() {
            return RoutingRules.REVIEW_TYPES;
        }

        @Override
        public void handle(CloudEvent event) {
            router.route(event);
        }
    }
}
