package app.fivestar.web;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoutesTest {

    @Test
    void theLongestWholeSegmentPrefixWinsAndAPrefixMayBeRewritten() throws Exception {
        Routes routes = Routes.parse(new StringReader("""
                # comment
                /api/v1/me = task-service
                /api/v1/meetings = review-service
                /api/v1/admin/review-service = review-service /api/v1/admin
                """));
        assertEquals(Optional.of(new Routes.Target("task-service", "/api/v1/me/tasks")), routes.resolve("/api/v1/me/tasks"));
        assertEquals(Optional.of(new Routes.Target("review-service", "/api/v1/meetings/1")), routes.resolve("/api/v1/meetings/1"));
        assertEquals(Optional.empty(), routes.resolve("/api/v1/mex"), "whole segments only");
        assertEquals(Optional.of(new Routes.Target("review-service", "/api/v1/admin/dead-letters")),
                routes.resolve("/api/v1/admin/review-service/dead-letters"));
        assertEquals(Optional.of("/api/v1/admin/review-service/dead-letters"), routes.frontPath("review-service", "/api/v1/admin/dead-letters"));
        assertEquals(Optional.empty(), routes.frontPath("task-service", "/api/v1/meetings"));
    }

    @Test
    void theShippedTableLoadsAndALineThatIsNoRouteIsRefused() {
        assertEquals(java.util.Set.of("task-service", "review-service", "notification-service"), Routes.load().services());
        assertThrows(IllegalArgumentException.class, () -> Routes.parse(new StringReader("/api/v1/x/ = task-service")));
        assertThrows(IllegalArgumentException.class, () -> Routes.parse(new StringReader("nonsense")));
    }
}
