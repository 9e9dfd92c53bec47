package app.fivestar.notification.routing;

import app.fivestar.notification.directory.KnownGroup;
import app.fivestar.notification.directory.KnownPerson;
import app.fivestar.platform.sql.TransactionCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Routing's questions answered from the directory projection. */
@ApplicationScoped
public class KnownRecipients implements Recipients {

    /** A poll's events share one transaction: a person, a group's members, a role's or a town's people are looked up once in it. */
    @Inject
    TransactionCache cache;

    @Override
    public boolean knows(UUID person) {
        return cache.get("person", person, id -> KnownPerson.<KnownPerson>findById(id)) != null;
    }

    @Override
    public List<UUID> members(UUID group, String... roles) {
        return cache.get("group-members", group, id -> KnownPerson.<KnownPerson>list("groupId = ?1 and active = true", id)).stream()
                .filter(p -> Arrays.stream(roles).anyMatch(p::has)).map(p -> p.id).toList();
    }

    @Override
    public List<UUID> withRole(String role) {
        return cache.get("with-role", role, KnownPerson::withRole).stream().map(p -> p.id).toList();
    }

    @Override
    public List<UUID> inTown(UUID town, String role) {
        return cache.get("town-people", town, id -> KnownPerson.<KnownPerson>list("townId = ?1 and active = true", id)).stream()
                .filter(p -> p.has(role)).map(p -> p.id).toList();
    }

    @Override
    public UUID groupLead(UUID group) {
        KnownGroup g = KnownGroup.findById(group);
        return g == null ? null : g.leadId;
    }
}
