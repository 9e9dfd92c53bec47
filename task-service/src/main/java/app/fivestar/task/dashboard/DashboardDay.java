package app.fivestar.task.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.LocalDate;

/**
 * Keeps the read model's red and yellow counters on the campaign's day: the first question of a new day (or after a
 * change of the due-soon window) moves them there with dashboard_roll (migration V4), which recounts only the open
 * tasks whose light changed. The day is read from the database on every question (one row), so replicas and
 * restarts always agree on it.
 */
@ApplicationScoped
public class DashboardDay {

    @Inject
    EntityManager em;

    /** Whether the counters hold the lights of {@code day} with a due-soon window of {@code soonDays}. */
    public boolean isAt(LocalDate day, int soonDays) {
        Object[] r = (Object[]) em.createNativeQuery("select day, soon from dashboard_day where id = 1").getSingleResult();
        LocalDate at = r[0] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[0];
        return day.equals(at) && soonDays == ((Number) r[1]).intValue();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void rollTo(LocalDate day, int soonDays) {
        em.createNativeQuery("select 1 from dashboard_roll(?1, ?2)").setParameter(1, day).setParameter(2, soonDays).getSingleResult();
    }
}
