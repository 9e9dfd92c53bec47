package app.fivestar.platform.outbox;

import app.fivestar.platform.MessagingConfig;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.tracing.Tracing;
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
        CloudEvent event = CloudEvent.of(config.source(), type, aggregateId.toString(), EventCodec.toData(data),
                OffsetDateTime.now(Clock.systemUTC()).withOffsetSameInstant(ZoneOffset.UTC));
        if (config.validateContracts()) {
            ContractValidator.check(event);
        }
        entityManager.createNativeQuery("insert into outbox_event (event_id, topic, record_key, type, payload, trace_parent) "
                        + "values (?1, ?2, ?3, ?4, ?5, cast(?6 as text))")
                .setParameter(1, event.id())
                .setParameter(2, topic)
                .setParameter(3, event.subject())
                .setParameter(4, type)
                .setParameter(5, EventCodec.encode(event))
                .setParameter(6, Tracing.currentTraceparent())
                .executeUpdate();
        wakeRelayAfterCommit();
        return event;
    }

    private void wakeRelayAfterCommit() {
        afterCommit.once(WAKE_KEY, relay::wake);
    }
}
