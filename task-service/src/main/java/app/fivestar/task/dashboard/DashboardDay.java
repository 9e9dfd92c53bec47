package app.fivestar.task.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.LocalDate;

/**
 * Keeps the read model's red and yellow counters on the campaign's day: the first question of a new day (or after a
 * change of the due-soon window) moves them there with dashboard_roll (migration V4), which recounts only the open
 * tasks whose light changed. The day last rolled to is remembered, so other questions that day cost nothing extra.
 */
@ApplicationScoped
public class DashboardDay {

    @Inject
    EntityManager em;

    private volatile String rolledTo;

    public boolean isAt(LocalDate day, int soonDays) {
        return (day + "/" + soonDays).equals(rolledTo);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void rollTo(LocalDate day, int soonDays) {
        em.createNativeQuery("select 1 from dashboard_roll(?1, ?2)").setParameter(1, day).setParameter(2, soonDays).getSingleResult();
    }

    public void rolled(LocalDate day, int soonDays) {
        rolledTo = day + "/" + soonDays;
    }
}
