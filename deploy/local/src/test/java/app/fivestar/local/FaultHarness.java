package app.fivestar.local;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The full fault harness: the suite's scenarios (1, 2, 3, 6, 7) at the sizes given, plus scenario 4 — each service killed
 * (SIGKILL, one at a time) in the middle of closes and started again — and, with {@code -Dfault.replicas=2}, all of
 * them with two instances of every service throughout (scenario 5). Not part of the suite (its name does not end in
 * Test); the README has the command and its last results:
 * {@code ./mvnw -B -o -pl deploy/local surefire:test -Dtest=FaultHarness -Dfault.tasks=1000 -Dfault.outage=60 [-Dfault.replicas=2]}.
 */
class FaultHarness extends FaultHarnessTest {

    @Test
    @Order(4)
    void eachServiceKilledInTheMiddleOfClosesAndStartedAgain() throws Exception {
        String marker = "故障四" + RUN;
        String office = stack.personId("office");
        List<String> ids = tasksForTheCadre(marker, TASKS);
        long t0 = System.nanoTime();
        String token = stack.token("st-cadre");
        CompletableFuture<Void> restarting = CompletableFuture.completedFuture(null);
        List<String> victims = List.of("review-service", "notification-service", "task-service");
        for (int i = 0; i < ids.size(); i++) {
            int step = i;
            for (int v = 0; v < victims.size(); v++) {
                if (step == ids.size() * (v + 1) / 4) {
                    restarting.join();
                    ServiceProcess victim = stack.service(victims.get(v));
                    victim.kill();
                    // the others go on; a killed task-service makes the closes wait (and retry with their keys) until it is back
                    restarting = CompletableFuture.runAsync(() -> {
                        victim.start();
                        victim.awaitReady(Duration.ofSeconds(180));
                    });
                }
            }
            close(token, ids.get(i));
        }
        restarting.join();
        await().atMost(Duration.ofSeconds(240)).until(() -> inbox(office, marker)[1] >= ids.size() && submittedInReview(ids) >= ids.size());
        pauseFor(Duration.ofSeconds(2));
        int[] rows = inbox(office, marker);
        Tally t = new Tally("4 each service killed (-9) and restarted during closes", ids.size(), ids.size() - rows[1], rows[0] - rows[1],
                ids.size() - submittedInReview(ids), 0, (System.nanoTime() - t0) / 1e9);
        TALLIES.add(t);
        assertEquals(List.of(0, 0, 0), List.of(t.lost(), t.duplicated(), t.outOfOrder()), t.line());
    }
}
