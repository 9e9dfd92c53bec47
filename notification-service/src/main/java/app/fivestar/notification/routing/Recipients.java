package app.fivestar.notification.routing;

import java.util.List;
import java.util.UUID;

/** What routing needs to know of people to pick recipients; {@link KnownRecipients} answers from the directory projection, a test from its own table of people. */
public interface Recipients {

    /** Whether this person is known (else an event for them waits until they are). */
    boolean knows(UUID person);

    /** The active members of a group who hold any of these roles. */
    List<UUID> members(UUID group, String... roles);

    /** The active people who hold this role. */
    List<UUID> withRole(String role);

    /** The active people of a town who hold this role. */
    List<UUID> inTown(UUID town, String role);

    /** The group's lead, or null when the group or its lead is unknown. */
    UUID groupLead(UUID group);
}
