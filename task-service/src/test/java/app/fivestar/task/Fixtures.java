package app.fivestar.task;

import app.fivestar.platform.testing.TestTokens;
import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.WorkingGroup;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/** Directory entries tests need, written straight to the service's database. */
public final class Fixtures {

    private Fixtures() {
    }

    public static WorkingGroup group(String name, String star) {
        WorkingGroup g = new WorkingGroup();
        g.id = UUID.randomUUID();
        g.name = name + "-" + g.id.toString().substring(0, 6);
        g.code = "G-" + g.id.toString().substring(0, 8);
        g.kind = "GROUP";
        g.star = "GEN".equals(star) ? null : star;
        QuarkusTransaction.requiringNew().run(g::persist);
        return g;
    }

    public static Person person(String username, WorkingGroup group, String... roles) {
        Person p = new Person();
        p.id = UUID.randomUUID();
        p.username = username + "-" + p.id.toString().substring(0, 6);
        p.displayName = "测试人员 " + username;
        p.roles = String.join(",", roles);
        p.groupId = group == null ? null : group.id;
        QuarkusTransaction.requiringNew().run(p::persist);
        return p;
    }

    public static void lead(WorkingGroup group, Person lead) {
        QuarkusTransaction.requiringNew().run(() -> WorkingGroup.update("leadId = ?1 where id = ?2", lead.id, group.id));
        group.leadId = lead.id;
    }

    public static String tokenOf(Person p) {
        return TestTokens.token(p.id, p.username, Arrays.stream(p.roles.split(",")).collect(Collectors.toSet()), p.groupId, p.townId);
    }

    public static String tokenOf(Person p, String role) {
        return TestTokens.token(p.id, p.username, java.util.Set.of(role), p.groupId, p.townId);
    }
}
