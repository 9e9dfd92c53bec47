package app.fivestar.notification.directory;

import app.fivestar.platform.consumer.EventHandler;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Keeps the projection of people and groups, then announces them so that whatever waited for them goes on. */
@ApplicationScoped
public class DirectoryProjection implements EventHandler {

    @Inject
    Event<DirectoryChanged> changed;

    @jakarta.inject.Inject
    app.fivestar.platform.sql.TransactionCache cache;

    @Override
    public String topic() {
        return Topics.DIRECTORY_EVENTS;
    }

    @Override
    public Set<String> types() {
        return Set.of("directory.person-upserted.v1", "directory.group-upserted.v1");
    }

    @Override
    public void handle(CloudEvent event) {
        if (event.type().equals("directory.person-upserted.v1")) {
            UUID id = UUID.fromString(event.text("personId"));
            KnownPerson p = KnownPerson.<KnownPerson>findByIdOptional(id).orElseGet(KnownPerson::new);
            boolean isNew = p.id == null;
            p.id = id;
            p.username = event.text("username");
            p.displayName = event.text("displayName");
            List<String> roles = new ArrayList<>();
            event.data().path("roles").forEach(r -> roles.add(r.asText()));
            p.roles = String.join(",", roles);
            p.groupId = uuid(event.text("groupId"));
            p.townId = uuid(event.text("townId"));
            p.email = event.text("email");
            p.phone = event.text("phone");
            p.active = event.data().path("active").asBoolean(true);
            p.updatedAt = event.time().toInstant();
            if (isNew) {
                p.persist();
            }
            // a poll's events share one transaction: routing after this change must not see what was looked up before it
            cache.forgetAll();
            changed.fire(new DirectoryChanged(id));
            if (p.groupId != null) {
                changed.fire(new DirectoryChanged(p.groupId));
            }
            if (p.townId != null) {
                changed.fire(new DirectoryChanged(p.townId));
            }
        } else {
            UUID id = UUID.fromString(event.text("groupId"));
            KnownGroup g = KnownGroup.<KnownGroup>findByIdOptional(id).orElseGet(KnownGroup::new);
            boolean isNew = g.id == null;
            g.id = id;
            g.code = event.text("code");
            g.name = event.text("name");
            g.kind = event.text("kind");
            g.leadId = uuid(event.text("leadId"));
            g.patronId = uuid(event.text("patronId"));
            g.updatedAt = event.time().toInstant();
            if (isNew) {
                g.persist();
            }
            cache.forgetAll();
            changed.fire(new DirectoryChanged(id));
        }
    }

    private static UUID uuid(String s) {
        return s == null ? null : UUID.fromString(s);
    }
}
