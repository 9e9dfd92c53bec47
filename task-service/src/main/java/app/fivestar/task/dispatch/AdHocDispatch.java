package app.fivestar.task.dispatch;

import app.fivestar.platform.problem.ProblemException;
import app.fivestar.task.task.AdHocTasks;
import app.fivestar.task.task.Task;
import app.fivestar.task.task.TaskResource;
import app.fivestar.task.task.Weeks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An ad-hoc task is a dispatch of one line for the ISO week of its due date. */
@ApplicationScoped
public class AdHocDispatch implements AdHocTasks {

    @Inject
    DispatchService dispatches;

    @Override
    public Task create(TaskResource.NewTask request, UUID actor) {
        try {
            return dispatches.dispatch(new DispatchRequest(Weeks.of(request.dueDate()), List.of(new DispatchRequest.Line(
                    request.catalogCode(), request.title(), request.groupId(), request.dueDate(), request.assigneeId(), null))), actor)
                    .tasks().get(0);
        } catch (ProblemException p) {
            throw withoutLinePrefix(p);
        }
    }

    /** The caller sent one task, not a dispatch: "lines[0].dueDate" is its "dueDate". */
    @SuppressWarnings("unchecked")
    private static ProblemException withoutLinePrefix(ProblemException p) {
        Object violations = p.extensions().get("violations");
        if (violations instanceof List<?> list) {
            p.with("violations", list.stream().map(v -> {
                Map<String, String> m = new LinkedHashMap<>((Map<String, String>) v);
                m.computeIfPresent("field", (k, f) -> f.replaceFirst("^lines\\[0\\]\\.", ""));
                return m;
            }).toList());
        }
        return p;
    }
}
