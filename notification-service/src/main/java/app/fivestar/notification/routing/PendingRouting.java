package app.fivestar.notification.routing;

import app.fivestar.notification.directory.DirectoryChanged;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Events that wait for a person, group or town the directory does not know yet; never dropped. */
@ApplicationScoped
public class PendingRouting {

    @Inject
    EntityManager em;

    @Inject
    Instance<Router> router;

    @Transactional(Transactional.TxType.MANDATORY)
    public void park(UUID waitingFor, CloudEvent event) {
        em.createNativeQuery("insert into pending_routing (waiting_for, event) values (?1, ?2)")
                .setParameter(1, waitingFor).setParameter(2, EventCodec.encode(event)).executeUpdate();
    }

    /** Routes again every event that waited for what the directory now knows. */
    void onDirectoryChanged(@Observes DirectoryChanged changed) {
        retry(changed.id());
    }

    /** Routes again every event that waited for {@code id}. */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public void retry(UUID id) {
        List<String> events = em.createNativeQuery("delete from pending_routing where waiting_for = ?1 returning event")
                .setParameter(1, id).getResultList();
        for (String json : events) {
            try {
                router.get().route(EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)));
            } catch (EventCodec.MalformedEventException e) {
                throw new IllegalStateException("a parked event is no longer readable", e);
            }
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long waiting() {
        return ((Number) em.createNativeQuery("select count(*) from pending_routing").getSingleResult()).longValue();
    }
}
