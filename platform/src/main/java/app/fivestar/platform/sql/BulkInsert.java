package app.fivestar.platform.sql;

import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.StringJoiner;

/**
 * Inserts many rows with one statement per batch: every column travels as one text array and the rows are
 * {@code unnest}ed and cast in the database ({@code insert ... select cast(c1 as uuid), ... from unnest(?::text[], ...)}),
 * on the transaction's own connection. What a thousand single-row inserts cost in round trips and statement overhead,
 * this costs once. Values are written with {@link String#valueOf} (null stays null): UUIDs, ISO dates and instants, numbers.
 */
public final class BulkInsert {

    /** Rows per statement: large enough to amortise a statement, small enough to keep arrays modest. */
    public static final int BATCH = 5_000;

    /** A column and the SQL type its text is cast to. */
    public record Column(String name, String type) {
        public static Column of(String name, String type) {
            return new Column(name, type);
        }
    }

    private BulkInsert() {
    }

    /** Inserts {@code rows} (one value per column, in order) into {@code table}; pending ORM changes are flushed first. */
    public static void insert(EntityManager em, String table, List<Column> columns, List<Object[]> rows) {
        insert(em, table, columns, rows, "");
    }

    /**
     * As {@link #insert(EntityManager, String, List, List)}, with {@code tail} after the select: a {@code where} on the
     * rows (named {@code u.c0}, {@code u.c1}, ... as text) and / or an {@code on conflict} clause.
     */
    public static void insert(EntityManager em, String table, List<Column> columns, List<Object[]> rows, String tail) {
        if (rows.isEmpty()) {
            return;
        }
        em.flush();
        StringJoiner names = new StringJoiner(", ");
        StringJoiner casts = new StringJoiner(", ");
        StringJoiner arrays = new StringJoiner(", ");
        StringJoiner aliases = new StringJoiner(", ");
        for (int i = 0; i < columns.size(); i++) {
            names.add(columns.get(i).name());
            casts.add("cast(c" + i + " as " + columns.get(i).type() + ")");
            arrays.add("cast(? as text[])");
            aliases.add("c" + i);
        }
        String sql = "insert into " + table + " (" + names + ") select " + casts + " from unnest(" + arrays + ") as u(" + aliases + ") " + tail;
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int from = 0; from < rows.size(); from += BATCH) {
                    List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + BATCH));
                    Array[] bound = new Array[columns.size()];
                    for (int c = 0; c < columns.size(); c++) {
                        String[] values = new String[part.size()];
                        for (int r = 0; r < part.size(); r++) {
                            Object v = part.get(r)[c];
                            values[r] = v == null ? null : String.valueOf(v);
                        }
                        bound[c] = connection.createArrayOf("text", values);
                        ps.setArray(c + 1, bound[c]);
                    }
                    ps.executeUpdate();
                    for (Array a : bound) {
                        a.free();
                    }
                }
            }
        });
    }
}
