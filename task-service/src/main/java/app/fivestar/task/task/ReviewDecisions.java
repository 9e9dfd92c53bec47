package app.fivestar.task.task;

import app.fivestar.platform.consumer.EventHandler;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import app.fivestar.task.catalogue.Star;
import app.fivestar.task.directory.Village;
import app.fivestar.task.directory.WorkingGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

/**
 * What meetings decide reaches the task list: an action item becomes a task linked to its meeting (once, however
 * often the event arrives), and a look-back rebound reopens a verified task with the finding as reason.
 */
@ApplicationScoped
public class ReviewDecisions implements EventHandler {

    @Inject
    TaskFactory factory;

    @Inject
    TaskLifecycle lifecycle;

    @Override
    public String topic() {
        return Topics.REVIEW_EVENTS;
    }

    @Override
    public Set<String> types() {
        return Set.of("review.action-item-created.v1", "review.task-reopened.v1");
    }

    @Override
    public void handle(CloudEvent e) {
        if (e.type().equals("review.task-reopened.v1")) {
            lifecycle.reopen(UUID.fromString(e.text("taskId")), "回头看发现反弹：" + e.text("note"), uuidOrNil(e.text("inspectorId")));
            return;
        }
        UUID actionItem = UUID.fromString(e.text("actionItemId"));
        if (Task.count("actionItemId", actionItem) > 0) {
            return;
        }
        UUID groupId = UUID.fromString(e.text("groupId"));
        WorkingGroup group = WorkingGroup.findById(groupId);
        if (group == null) {
            throw new IllegalArgumentException("action item " + actionItem + " names an unknown working group " + groupId);
        }
        Star star = e.text("star") != null ? Star.valueOf(e.text("star")) : group.star == null ? Star.GEN : Star.valueOf(group.star);
        UUID villageId = uuid(e.text("villageId"));
        UUID townId = uuid(e.text("townId"));
        if (villageId != null && townId == null) {
            Village v = Village.findById(villageId);
            townId = v == null ? null : v.townId;
        }
        LocalDate due = LocalDate.parse(e.text("dueDate"));
        // the meeting handed it out: filed under the meeting's week (older events without the date: the due date's)
        LocalDate filedOn = e.text("meetingDate") == null ? due : LocalDate.parse(e.text("meetingDate"));
        factory.create(new TaskFactory.Spec(null, e.text("title"), star, groupId, uuid(e.text("assigneeId")), townId, villageId, due,
                Weeks.of(filedOn), null, UUID.fromString(e.text("meetingId")), actionItem), uuidOrNil(null));
    }

    private static UUID uuid(String s) {
        return s == null ? null : UUID.fromString(s);
    }

    private static UUID uuidOrNil(String s) {
        return s == null ? new UUID(0, 0) : UUID.fromString(s);
    }
}
