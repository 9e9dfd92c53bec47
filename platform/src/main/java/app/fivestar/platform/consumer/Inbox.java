package app.fivestar.platform.consumer;

import app.fivestar.platform.events.CloudEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Remembers which events a consumer has processed, in the consumer's own transaction. */
@ApplicationScoped
public class Inbox {

    @Inject
    EntityManager entityManager;

    /** True the first time this consumer sees the event; false for a redelivery. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(CloudEvent event, String consumer) {
        return entityManager.createNativeQuery(
                        "insert into inbox_event (event_id, consumer, type) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, event.id())
                .setParameter(2, consumer)
                .setParameter(3, event.type())
                .executeUpdate() == 1;
    }
}
