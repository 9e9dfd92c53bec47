package app.fivestar.task.task;

import java.util.UUID;

/**
 * Makes one ad-hoc task (POST /api/v1/tasks). The dispatch feature implements it as a one-line dispatch for the
 * due date's week, so that a single task and a week's batch share one set of checks; the task feature only names
 * what it needs, and so does not depend on dispatch.
 */
public interface AdHocTasks {

    /** The created task; problems name the request's own fields (title, groupId, …). */
    Task create(TaskResource.NewTask request, UUID actor);
}
