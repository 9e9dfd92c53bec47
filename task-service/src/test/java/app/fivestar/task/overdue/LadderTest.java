package app.fivestar.task.overdue;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The escalation ladder's steps, without Quarkus. */
class LadderTest {

    @Test
    void aTaskReachesEveryLevelWhoseDaysHavePassed() {
        Ladder ladder = new Ladder(List.of(1, 3, 7));
        assertEquals(List.of(), ladder.levelsReached(0), "due yesterday at the earliest");
        assertEquals(List.of(1), ladder.levelsReached(1));
        assertEquals(List.of(1), ladder.levelsReached(2));
        assertEquals(List.of(1, 2), ladder.levelsReached(3));
        assertEquals(List.of(1, 2, 3), ladder.levelsReached(7));
        assertEquals(List.of(1, 2, 3), ladder.levelsReached(400));
    }

    @Test
    void aShorterLadderHasFewerLevels() {
        assertEquals(List.of(1, 2), new Ladder(List.of(2, 2)).levelsReached(2), "two levels on the same day");
        assertEquals(List.of(), new Ladder(List.of()).levelsReached(30), "no ladder, no escalation");
    }
}
