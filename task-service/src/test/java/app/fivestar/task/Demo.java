package app.fivestar.task;

import app.fivestar.task.demo.DemoDirectory;
import app.fivestar.task.directory.Person;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.util.UUID;

/** The illustrative demo district, which the test profile loads into each fresh database. */
public final class Demo {

    public static final UUID ST_GROUP = DemoDirectory.ST_GROUP;
    public static final UUID ST_LEAD = UUID.fromString("00000000-0000-4000-8000-000000000103");
    public static final UUID ST_CADRE = UUID.fromString("00000000-0000-4000-8000-000000000104");

    private Demo() {
    }

    public static Person person(String username) {
        return QuarkusTransaction.requiringNew().call(() -> Person.byUsername(username).orElseThrow());
    }

    public static String token(String username) {
        return Fixtures.tokenOf(person(username));
    }

    public static UUID groupId(String code) {
        return QuarkusTransaction.requiringNew().call(() -> app.fivestar.task.directory.WorkingGroup.byCode(code).orElseThrow().id);
    }

    public static UUID townId(String code) {
        return QuarkusTransaction.requiringNew().call(() -> app.fivestar.task.directory.Town.<app.fivestar.task.directory.Town>find("code", code)
                .firstResult().id);
    }
}
