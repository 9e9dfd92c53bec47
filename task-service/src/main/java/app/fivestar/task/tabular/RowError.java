package app.fivestar.task.tabular;

import app.fivestar.platform.problem.ProblemException;
import app.fivestar.platform.problem.Problems;

import java.util.List;

/** One problem of an imported file: the row as the person sees it (header = 1), the column, what is wrong. */
public record RowError(int row, String column, String problem) {

    /** The 422 answer to a file with problems: every one of them, and the promise that nothing changed. */
    public static ProblemException problem(List<RowError> errors) {
        return Problems.unprocessable(errors.size() + " 处问题，未做任何修改").with("errors", errors);
    }
}
