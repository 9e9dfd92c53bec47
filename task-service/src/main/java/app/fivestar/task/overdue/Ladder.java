package app.fivestar.task.overdue;

import java.util.ArrayList;
import java.util.List;

/**
 * The escalation ladder (督办) of one star: {@code days.get(i)} is how many days overdue a task must be to reach level
 * {@code i + 1} (1 the group lead, 2 the standing-committee member who leads the star, 3 the district secretary).
 */
public record Ladder(List<Integer> days) {

    /** The star's own ladder when configured, else the default one. */
    public static Ladder of(OverdueConfig config, String star) {
        return new Ladder(config.ladders().getOrDefault(star, config.ladder()));
    }

    /** The levels (1 first) a task {@code daysOverdue} days past its due date has reached. */
    public List<Integer> levelsReached(int daysOverdue) {
        List<Integer> levels = new ArrayList<>();
        for (int level = 1; level <= days.size(); level++) {
            if (daysOverdue >= days.get(level - 1)) {
                levels.add(level);
            }
        }
        return levels;
    }
}
