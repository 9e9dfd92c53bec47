package app.fivestar.task.overdue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The overdue watch: how far ahead to remind (催办), and the escalation ladder (督办) per star. */
@ConfigMapping(prefix = "fivestar.overdue")
public interface OverdueConfig {

    /** How often the watch runs ("off" to run it only by hand). */
    @WithDefault("1m")
    String every();

    /** Days overdue for ladder steps 1 (group lead), 2 (the standing-committee member who leads the star), 3 (district secretary). */
    @WithDefault("1,3,7")
    List<Integer> ladder();

    /** Per star (ZB, CY, ST, PA, WM, GEN), a ladder that replaces the default. */
    Map<String, List<Integer>> ladders();

    /** Tasks looked at per transaction: a first pass over a province with a million overdue tasks stays in bounded memory. */
    @WithDefault("500")
    int batchSize();

    /** Username of the district secretary, the last step of the ladder (required in prod: no demo fallback). */
    Optional<String> districtSecretary();
}
