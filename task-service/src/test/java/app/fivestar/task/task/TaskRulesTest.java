package app.fivestar.task.task;

import app.fivestar.platform.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;

import static app.fivestar.task.task.TrafficLight.Color.GREEN;
import static app.fivestar.task.task.TrafficLight.Color.RED;
import static app.fivestar.task.task.TrafficLight.Color.YELLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task's pure rules, without Quarkus or a database: the lifecycle's moves, the traffic light, on time. */
class TaskRulesTest {

    static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

    @Test
    void theLifecycleMovesOnlyFromItsAllowedStates() {
        assertEquals(TaskStatus.ACCEPTED, Transition.ACCEPT.apply(TaskStatus.ASSIGNED));
        assertEquals(TaskStatus.IN_PROGRESS, Transition.START.apply(TaskStatus.RETURNED));
        assertEquals(TaskStatus.SUBMITTED, Transition.SUBMIT.apply(TaskStatus.IN_PROGRESS));
        assertEquals(TaskStatus.VERIFIED, Transition.VERIFY.apply(TaskStatus.SUBMITTED));
        assertEquals(TaskStatus.RETURNED, Transition.REOPEN.apply(TaskStatus.VERIFIED));
        assertEquals(TaskStatus.IN_PROGRESS, Transition.ASSIGN.apply(TaskStatus.IN_PROGRESS), "a reassignment keeps the state");
        ProblemException illegal = assertThrows(ProblemException.class, () -> Transition.VERIFY.apply(TaskStatus.ASSIGNED));
        assertEquals("ASSIGNED", illegal.extensions().get("currentState"));
        assertEquals(List.of("accept", "start", "cancel", "assign", "request-extension", "decide-extension"),
                illegal.extensions().get("allowedTransitions"));
        assertEquals(List.of(), Transition.allowedFrom(TaskStatus.CANCELLED), "nothing moves a cancelled task");
        assertEquals(List.of(), Transition.allowedFrom(TaskStatus.VERIFIED), "only a look-back reopens a verified task");
    }

    @Test
    void closedIsSubmittedVerifiedOrCancelledAndTheSqlSpellingSaysTheSame() {
        assertEquals(EnumSet.of(TaskStatus.ASSIGNED, TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED), TaskStatus.open());
        for (TaskStatus s : TaskStatus.values()) {
            assertEquals(TaskStatus.open().contains(s), s.isOpen(), s.name());
            assertEquals(!s.isOpen(), TaskStatus.CLOSED_SQL.contains("'" + s.name() + "'"), s.name());
        }
        assertEquals("('SUBMITTED', 'VERIFIED', 'CANCELLED')", TaskStatus.CLOSED_SQL, "the spelling the partial indexes use");
    }

    @Test
    void theTrafficLight() {
        assertEquals(RED, TrafficLight.color(TaskStatus.IN_PROGRESS, TODAY.minusDays(1), 0, TODAY, 1), "open past its due date");
        assertEquals(YELLOW, TrafficLight.color(TaskStatus.ASSIGNED, TODAY, 0, TODAY, 1), "due today, inside a one-day window");
        assertEquals(GREEN, TrafficLight.color(TaskStatus.ASSIGNED, TODAY.plusDays(1), 0, TODAY, 1), "due tomorrow, outside it");
        assertEquals(YELLOW, TrafficLight.color(TaskStatus.ASSIGNED, TODAY.plusDays(2), 0, TODAY, 3), "inside a three-day window");
        assertEquals(YELLOW, TrafficLight.color(TaskStatus.RETURNED, TODAY.plusDays(30), 1, TODAY, 1), "returned once");
        assertEquals(RED, TrafficLight.color(TaskStatus.RETURNED, TODAY.minusDays(1), 1, TODAY, 1), "overdue outranks returned");
        assertEquals(GREEN, TrafficLight.color(TaskStatus.SUBMITTED, TODAY.minusDays(9), 2, TODAY, 1), "closed tasks are green");
        assertEquals(GREEN, TrafficLight.color(TaskStatus.VERIFIED, TODAY.minusDays(9), 0, TODAY, 1));
        assertNull(TrafficLight.color(TaskStatus.CANCELLED, TODAY.minusDays(9), 0, TODAY, 1), "a cancelled task has no light");
    }

    @Test
    void onTimeCountsDaysInBeijing() {
        LocalDate due = LocalDate.of(2026, 11, 30);
        assertTrue(TrafficLight.onTime(Instant.parse("2026-11-30T15:59:59Z"), due), "23:59:59 in Beijing on the due date");
        assertFalse(TrafficLight.onTime(Instant.parse("2026-11-30T16:00:00Z"), due), "00:00 in Beijing the day after");
        assertTrue(TrafficLight.onTime(Instant.parse("2026-11-20T01:00:00Z"), due), "early");
    }
}
