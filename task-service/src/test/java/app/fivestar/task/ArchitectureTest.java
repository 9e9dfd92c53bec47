package app.fivestar.task;

import app.fivestar.platform.testing.PackageCycles;
import org.junit.jupiter.api.Test;

/** The feature packages of task-service depend one way (a plain JUnit test: no Quarkus, no servers). */
class ArchitectureTest {

    @Test
    void featurePackagesDependOneWay() {
        PackageCycles.assertNone("app.fivestar.task");
    }
}
