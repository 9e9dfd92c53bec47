package app.fivestar.review.directory;

import app.fivestar.platform.consumer.EventHandler;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import app.fivestar.review.places.KnownTown;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What review-service keeps of task-service's directory, from directory-events: towns (the ranked units), working
 * groups (named in briefings) and people (a secretary who scores never scores their own town). One upsert for all
 * three; an older event never overwrites a newer state. (Panache's static finders are called on each entity class, not
 * by method reference: only those calls are enhanced.)
 */
@ApplicationScoped
public class DirectoryProjection implements EventHandler {

    @Override
    public String topic() {
        return Topics.DIRECTORY_EVENTS;
    }

    @Override
    public Set<String> types() {
        return Set.of("directory.town-upserted.v1", "directory.group-upserted.v1", "directory.person-upserted.v1");
    }

    @Override
    public void handle(CloudEvent e) {
        switch (e.type()) {
            case "directory.town-upserted.v1" -> upsert(e, "townId", id -> KnownTown.<KnownTown>findById(id), KnownTown::new, t -> t.updatedAt, t -> {
                t.code = e.text("code");
                t.name = e.text("name");
                t.kind = e.text("kind");
                t.updatedAt = e.time().toInstant();
            }, (t, id) -> t.id = id);
            case "directory.group-upserted.v1" -> upsert(e, "groupId", id -> KnownGroup.<KnownGroup>findById(id), KnownGroup::new, g -> g.updatedAt, g -> {
                g.code = e.text("code");
                g.name = e.text("name");
                g.updatedAt = e.time().toInstant();
            }, (g, id) -> g.id = id);
            case "directory.person-upserted.v1" -> upsert(e, "personId", id -> KnownPerson.<KnownPerson>findById(id), KnownPerson::new, p -> p.updatedAt, p -> {
                p.displayName = e.text("displayName");
                p.townId = e.text("townId") == null ? null : UUID.fromString(e.text("townId"));
                boolean secretary = false;
                for (var role : e.data().path("roles")) {
                    secretary |= role.asText().equals("TOWN_SECRETARY");
                }
                p.townSecretary = secretary && e.data().path("active").asBoolean(true);
                p.updatedAt = e.time().toInstant();
            }, (p, id) -> p.id = id);
            default -> { }
        }
    }

    private static <T extends PanacheEntityBase> void upsert(CloudEvent e, String idField, Function<UUID, T> find, Supplier<T> create,
                                                            Function<T, Instant> updatedAt, Consumer<T> apply,
                                                            java.util.function.BiConsumer<T, UUID> setId) {
        UUID id = UUID.fromString(e.text(idField));
        T known = find.apply(id);
        if (known == null) {
            T fresh = create.get();
            setId.accept(fresh, id);
            apply.accept(fresh);
            fresh.persist();
        } else if (updatedAt.apply(known) == null || !e.time().toInstant().isBefore(updatedAt.apply(known))) {
            apply.accept(known);
        }
    }
}
