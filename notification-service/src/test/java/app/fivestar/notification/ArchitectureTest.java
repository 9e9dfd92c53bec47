package app.fivestar.notification;

import app.fivestar.platform.testing.PackageCycles;
import org.junit.jupiter.api.Test;

/** The feature packages of notification-service depend one way (a plain JUnit test: no Quarkus, no servers). */
class ArchitectureTest {

    @Test
    void featurePackagesDependOneWay() {
        PackageCycles.assertNone("app.fivestar.notification");
    }
}
