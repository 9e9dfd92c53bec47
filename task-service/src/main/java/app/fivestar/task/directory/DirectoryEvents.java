package app.fivestar.task.directory;

import app.fivestar.platform.events.Topics;
import app.fivestar.platform.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Publishes changes to people and working groups on {@code directory-events} (key = person or group id), so
 * that other services keep their own projections instead of calling task-service.
 */
@ApplicationScoped
public class DirectoryEvents {

    public static final String PERSON_UPSERTED = "directory.person-upserted.v1";
    public static final String GROUP_UPSERTED = "directory.group-upserted.v1";
    public static final String TOWN_UPSERTED = "directory.town-upserted.v1";

    @Inject
    Outbox outbox;

    public void personChanged(Person p) {
        outbox.publish(Topics.DIRECTORY_EVENTS, PERSON_UPSERTED, p.id, new PersonData(p.id, p.username, p.displayName,
                p.roleSet(), p.groupId, p.townId, p.phone, p.email, p.active, p.villageIds.stream().sorted().toList()));
    }

    public void groupChanged(WorkingGroup g) {
        outbox.publish(Topics.DIRECTORY_EVENTS, GROUP_UPSERTED, g.id, new GroupData(g.id, g.code, g.name, g.star, g.kind,
                g.leadId, g.patronId));
    }

    public void townChanged(Town t) {
        outbox.publish(Topics.DIRECTORY_EVENTS, TOWN_UPSERTED, t.id, new TownData(t.id, t.code, t.name, t.kind, Village.count("townId", t.id)));
    }

    public record TownData(UUID townId, String code, String name, String kind, long villageCount) {
    }

    public record PersonData(UUID personId, String username, String displayName, Set<String> roles, UUID groupId,
                             UUID townId, String phone, String email, boolean active, List<UUID> villageIds) {
    }

    public record GroupData(UUID groupId, String code, String name, String star, String kind, UUID leadId, UUID patronId) {
    }
}
