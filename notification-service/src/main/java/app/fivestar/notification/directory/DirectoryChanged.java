package app.fivestar.notification.directory;

import java.util.UUID;

/**
 * A person, group or town the projection now knows (or knows better), fired inside the transaction that wrote it:
 * whatever waited for it can go on (routing observes it), without the directory knowing who waits.
 */
public record DirectoryChanged(UUID id) {
}
