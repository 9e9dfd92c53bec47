package app.fivestar.task.task;

import jakarta.persistence.EntityManager;

import java.util.regex.Pattern;

/**
 * The task change order without a global lock: which changes a reader has not yet seen.
 *
 * <p>Every change to a task (and every departure from someone's list) records the id of the transaction that made it
 * ({@code change_xid}, set by {@link TaskChanges#stamp}). A reader takes PostgreSQL's snapshot — which transactions had
 * committed when it looked ({@code pg_current_snapshot()}) — and the next reader asks for the changes whose transaction
 * was not visible in that earlier snapshot and is visible in its own. A change stamped early and committed late is never
 * skipped (its transaction was still running, so invisible, at the earlier look), and a long transaction such as a big
 * dispatch holds back nobody's changes but its own. Writers take no lock for this; readers filter by an index range
 * ({@code change_xid >= xmin} of the earlier snapshot) and two visibility checks.
 *
 * @param after the earlier snapshot, null for "from the beginning"
 * @param upTo  the reader's own snapshot
 */
public record ChangeWindow(Snapshot after, Snapshot upTo) {

    /** A PostgreSQL snapshot in its text form {@code xmin:xmax:xip,...}. */
    public record Snapshot(long xmin, String text) {
        private static final Pattern FORM = Pattern.compile("\\d{1,19}:\\d{1,19}:(\\d{1,19}(,\\d{1,19})*)?");

        /** Parses a snapshot's text; throws IllegalArgumentException for anything else (it goes into SQL as a literal). */
        public static Snapshot parse(String text) {
            if (text == null || text.length() > 20_000 || !FORM.matcher(text).matches()) {
                throw new IllegalArgumentException("not a snapshot");
            }
            return new Snapshot(Long.parseLong(text.substring(0, text.indexOf(':'))), text);
        }

        /** What the database has committed as of now. */
        public static Snapshot now(EntityManager em) {
            return parse((String) em.createNativeQuery("select cast(pg_current_snapshot() as text)").getSingleResult());
        }

        /** SQL: the transaction in {@code xidColumn} had committed when this snapshot was taken. */
        String sees(String xidColumn) {
            return "pg_visible_in_snapshot(cast(cast(" + xidColumn + " as text) as xid8), cast('" + text + "' as pg_snapshot))";
        }
    }

    /** The changes from the beginning up to now. */
    public static ChangeWindow upToNow(EntityManager em) {
        return new ChangeWindow(null, Snapshot.now(em));
    }

    /** The changes after {@code after} (null: from the beginning) up to now. */
    public static ChangeWindow since(Snapshot after, EntityManager em) {
        return new ChangeWindow(after, Snapshot.now(em));
    }

    /** SQL condition on a row whose change transaction is in {@code xidColumn}: the change falls in this window. */
    public String sql(String xidColumn) {
        String seen = upTo.sees(xidColumn);
        return after == null ? seen
                : "(" + xidColumn + " >= " + after.xmin() + " and not " + after.sees(xidColumn) + " and " + seen + ")";
    }

    /** SQL condition: a change after {@code after} that may not be committed yet (for readers that only need a superset). */
    public static String atOrAfter(Snapshot after, String xidColumn) {
        return after == null ? "true" : xidColumn + " >= " + after.xmin();
    }
}
