package app.fivestar.platform.locks;

import jakarta.persistence.EntityManager;

/**
 * Every PostgreSQL advisory lock the services take, in one place: the work that runs once across replicas, and the
 * dashboard read model's day and folds. All are transaction-scoped, so a crash or a rollback releases them. A migration that
 * takes one spells its id in decimal ({@link #id}); the services' tests check that every id a migration uses is
 * registered here.
 */
public enum ClusterLock {

    /**
     * task-service: the dashboard counters' day (migration V10). Every task write takes it shared (writers never wait
     * for each other); moving the counters to another day or rebuilding them takes it exclusively.
     */
    DASHBOARD_DAY(0x7A5C_C4A6L),
    /** task-service: one fold of appended dashboard changes into the counters at a time (migration V10). */
    DASHBOARD_FOLD(0x7A5C_C4A7L),
    /** task-service: one overdue watch run at a time. */
    OVERDUE_WATCH(0x0DE0_0D0EL),
    /** task-service: replicas starting together load the demo district once. */
    DEMO_DATA(0x0DE3_0DA7AL);

    public final long id;

    ClusterLock(long id) {
        this.id = id;
    }

    /** Waits for the lock; held until the current transaction ends. */
    public void acquire(EntityManager em) {
        em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, id).getSingleResult();
    }

    /** Takes the lock if free, held until the current transaction ends; false when another transaction holds it. */
    public boolean tryAcquire(EntityManager em) {
        return Boolean.TRUE.equals(em.createNativeQuery("select pg_try_advisory_xact_lock(?1)").setParameter(1, id).getSingleResult());
    }
}
