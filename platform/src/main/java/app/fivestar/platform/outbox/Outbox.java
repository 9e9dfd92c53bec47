package app.fivestar.platform.outbox;

import app.fivestar.platform.sql.BulkInsert;
import java.util.List;

import app.fivestar.platform.MessagingConfig;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.tracing.Tracing;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Where a service records the events of a state change: a row in {@code outbox_event}, written in the
 * caller's transaction, so the change and its event commit together or not at all. The relay is woken
 * right after the commit. The row keeps the trace context of the request or event that caused it.
 */
@ApplicationScoped
public class Outbox {

    private static final Object WAKE_KEY = new Object();

    @Inject
    EntityManager entityManager;

    @Inject
    AfterCommit afterCommit;

    @Inject
    OutboxRelay relay;

    @Inject
    MessagingConfig config;

    /** Records {@code data} as an event of {@code type} about aggregate {@code aggregateId} on {@code topic}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent publish(String topic, String type, Object aggregateId, Object data) {
        return publishAll(topic, List.of(new Pending(type, aggregateId, data))).get(0);
    }

    /** One event of a {@link #publishAll} batch: its type, the aggregate it is about and its data. */
    public record Pending(String type, Object aggregateId, Object data) {
    }

    private static final List<BulkInsert.Column> COLUMNS = List.of(BulkInsert.Column.of("event_id", "uuid"), BulkInsert.Column.of("topic", "text"),
            BulkInsert.Column.of("record_key", "text"), BulkInsert.Column.of("type", "text"), BulkInsert.Column.of("payload", "text"),
            BulkInsert.Column.of("trace_parent", "text"));

    /**
     * Records many events on {@code topic} at once (a large dispatch): each checked against its contract as
     * {@link #publish} does, the rows written a few thousand per statement, in the order given.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<CloudEvent> publishAll(String topic, List<Pending> pending) {
        OffsetDateTime now = OffsetDateTime.now(Clock.systemUTC()).withOffsetSameInstant(ZoneOffset.UTC);
        String traceparent = Tracing.currentTraceparent();
        List<CloudEvent> events = new java.util.ArrayList<>(pending.size());
        List<Object[]> rows = new java.util.ArrayList<>(pending.size());
        for (Pending p : pending) {
            CloudEvent event = CloudEvent.of(config.source(), p.type(), p.aggregateId().toString(), EventCodec.toData(p.data()), now);
            ObjectNode envelope = EventCodec.tree(event); // checked and written: the event becomes JSON once
            if (config.validateContracts()) {
                ContractValidator.check(envelope);
            }
            events.add(event);
            rows.add(new Object[] {event.id(), topic, event.subject(), p.type(), EventCodec.encode(envelope), traceparent});
        }
        BulkInsert.insert(entityManager, "outbox_event", COLUMNS, rows);
        if (!rows.isEmpty()) {
            wakeRelayAfterCommit();
        }
        return events;
    }

    private void wakeRelayAfterCommit() {
        afterCommit.once(WAKE_KEY, relay::wake);
    }
}
