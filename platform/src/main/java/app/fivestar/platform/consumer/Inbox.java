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
        return firstDeliveries(java.util.List.of(event), consumer).contains(event.id());
    }

    /** The ids of {@code events} this consumer sees for the first time (each once), remembered with one statement. */
    @Transactional(Transactional.TxType.MANDATORY)
    public java.util.Set<java.util.UUID> firstDeliveries(java.util.List<CloudEvent> events, String consumer) {
        String[] ids = events.stream().map(e -> e.id().toString()).toArray(String[]::new);
        String[] types = events.stream().map(CloudEvent::type).toArray(String[]::new);
        return entityManager.unwrap(org.hibernate.Session.class).doReturningWork(connection -> {
            java.util.Set<java.util.UUID> first = new java.util.HashSet<>();
            try (var ps = connection.prepareStatement("insert into inbox_event (event_id, consumer, type) "
                    + "select cast(e as uuid), ?, t from unnest(cast(? as text[]), cast(? as text[])) as u(e, t) "
                    + "on conflict do nothing returning event_id")) {
                ps.setString(1, consumer);
                ps.setArray(2, connection.createArrayOf("text", ids));
                ps.setArray(3, connection.createArrayOf("text", types));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        first.add(rs.getObject(1, java.util.UUID.class));
                    }
                }
            }
            return first;
        });
    }
}
