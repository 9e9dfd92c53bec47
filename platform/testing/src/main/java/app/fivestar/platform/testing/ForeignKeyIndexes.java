package app.fivestar.platform.testing;

import app.fivestar.platform.schema.Migrations;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Every foreign key is the leading part of some index, so that a question by the parent (a meeting's decisions, a
 * task's evidence) and every delete of a parent reads an index, not the whole child table. Each service's test
 * migrates a fresh database and asks this.
 */
public final class ForeignKeyIndexes {

    private ForeignKeyIndexes() {
    }

    /** Foreign keys of a freshly migrated database (platform and service migrations) with no index leading with them. */
    public static List<String> missing() throws SQLException {
        TestServers servers = TestServers.get();
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(servers.freshDatabase("fk_indexes"));
        db.setUser(servers.user());
        db.setPassword(servers.password());
        Migrations.migrate(db, Flyway.configure().dataSource(db).locations("classpath:db/migration")
                .baselineOnMigrate(true).baselineVersion("0").load());
        List<String> missing = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select con.conrelid::regclass::text, con.conname,
                       (select string_agg(a.attname, ', ' order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
                          join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum)
                from pg_constraint con
                where con.contype = 'f' and con.connamespace = 'public'::regnamespace
                  and not exists (select 1 from pg_index i where i.indrelid = con.conrelid
                                  and array_to_string((i.indkey::int2[])[0:cardinality(con.conkey) - 1], ',') = array_to_string(con.conkey, ','))
                order by 1, 2""")) {
            while (rs.next()) {
                missing.add(rs.getString(1) + "(" + rs.getString(3) + ") [" + rs.getString(2) + "]");
            }
        }
        return missing;
    }
}
