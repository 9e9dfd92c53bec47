package app.fivestar.task.task;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The SQL spelling of the task rules against their one Java definition: the dashboard counters (migration V4's
 * triggers) count red, yellow, on time and late for every status × due date × returned × submitted-at case exactly as
 * {@link TrafficLight#color} and {@link TrafficLight#onTime} decide, and every "closed" in the migrations and the
 * queries is spelled {@link TaskStatus#CLOSED_SQL}.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class TaskRulesSqlTest {

    @Inject
    EntityManager em;

    record Case(TaskStatus status, int dueOffset, int returned, Instant submittedAt) {
    }

    @Test
    void theDashboardCountersCountByTheJavaRules() {
        Object[] day = (Object[]) em.createNativeQuery("select day, soon from dashboard_day").getSingleResult();
        LocalDate today = (LocalDate) day[0];
        int soon = ((Number) day[1]).intValue();
        UUID town = Demo.townId("T03");
        List<Case> cases = new ArrayList<>();
        for (TaskStatus status : TaskStatus.values()) {
            for (int offset : new int[] {-2, -1, 0, soon - 1, soon, soon + 1}) {
                for (int returned : new int[] {0, 1}) {
                    LocalDate due = today.plusDays(offset);
                    // just before and just after the due date ends in Beijing
                    cases.add(new Case(status, offset, returned, due.atTime(LocalTime.of(23, 59, 59)).atZone(TaskLifecycle.CAMPAIGN_ZONE).toInstant()));
                    cases.add(new Case(status, offset, returned, due.plusDays(1).atStartOfDay(TaskLifecycle.CAMPAIGN_ZONE).toInstant()));
                }
            }
        }
        for (Case c : cases) {
            LocalDate due = today.plusDays(c.dueOffset());
            long[] delta = QuarkusTransaction.requiringNew().call(() -> {
                long[] before = counters(town);
                em.createNativeQuery("insert into task (id, title, group_id, due_date, status, created_at, created_by, star, town_id, week, "
                                + "returned_count, submitted_at, updated_at) values (?1, '规则核对（测试）', ?2, ?3, ?4, now(), ?5, 'ST', ?6, '2026-W49', ?7, ?8, now())")
                        .setParameter(1, UUID.randomUUID()).setParameter(2, Demo.ST_GROUP).setParameter(3, due)
                        .setParameter(4, c.status().name()).setParameter(5, Demo.ST_LEAD).setParameter(6, town)
                        .setParameter(7, c.returned()).setParameter(8, c.submittedAt()).executeUpdate();
                long[] after = counters(town);
                return new long[] {after[0] - before[0], after[1] - before[1], after[2] - before[2], after[3] - before[3]};
            });
            TrafficLight.Color light = TrafficLight.color(c.status(), due, c.returned(), today, soon);
            boolean verified = c.status() == TaskStatus.VERIFIED;
            boolean onTime = TrafficLight.onTime(c.submittedAt(), due);
            String what = c + " on " + today + " (soon " + soon + ")";
            assertEquals(light == TrafficLight.Color.RED ? 1 : 0, delta[0], "red: " + what);
            assertEquals(light == TrafficLight.Color.YELLOW ? 1 : 0, delta[1], "yellow: " + what);
            assertEquals(verified && onTime ? 1 : 0, delta[2], "on time: " + what);
            assertEquals(verified && !onTime ? 1 : 0, delta[3], "late: " + what);
        }
    }

    @Test
    void closedIsSpelledOneWayInEveryMigrationAndQuery() throws IOException {
        for (TaskStatus s : TaskStatus.values()) {
            Object open = em.createNativeQuery("select cast(?1 as text) not in " + TaskStatus.CLOSED_SQL).setParameter(1, s.name()).getSingleResult();
            assertEquals(s.isOpen(), open, s.name());
        }
        Pattern statusIn = Pattern.compile("status\\s+(?:not\\s+)?in\\s*(\\([^)]*\\))", Pattern.CASE_INSENSITIVE);
        List<Path> files;
        try (Stream<Path> sql = Files.list(Path.of("src/main/resources/db/migration"))) {
            files = sql.toList();
        }
        int found = 0;
        for (Path f : files) {
            Matcher m = statusIn.matcher(Files.readString(f));
            while (m.find()) {
                String list = m.group(1).replace("''", "'");
                if (java.util.Arrays.stream(TaskStatus.values()).noneMatch(st -> list.contains("'" + st.name() + "'"))) {
                    continue; // another table's statuses (extension requests)
                }
                assertEquals(TaskStatus.CLOSED_SQL, list, f.getFileName() + " spells closed differently: " + m.group());
                found++;
            }
        }
        assertFalse(found == 0, "the migrations' partial indexes were found");
    }

    private long[] counters(UUID town) {
        em.createNativeQuery("select dashboard_fold()").getSingleResult(); // this transaction's own changes too
        List<?> rows = em.createNativeQuery("select red, yellow, on_time, late from dashboard_tally where dim = 'town' and week = '' "
                + "and town_id = ?1 and key = ''").setParameter(1, town).getResultList();
        if (rows.isEmpty()) {
            return new long[4];
        }
        Object[] r = (Object[]) rows.get(0);
        return new long[] {((Number) r[0]).longValue(), ((Number) r[1]).longValue(), ((Number) r[2]).longValue(), ((Number) r[3]).longValue()};
    }
}
