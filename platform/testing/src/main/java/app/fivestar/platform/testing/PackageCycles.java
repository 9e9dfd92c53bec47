package app.fivestar.platform.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * A service's feature packages ({@code app.fivestar.task.dispatch}, {@code …task.task}, …) depend one way: no two
 * import each other, directly or round a longer loop. Each service's architecture test calls this on its own code.
 */
public final class PackageCycles {

    private PackageCycles() {
    }

    /** Fails naming every cycle among the packages directly under {@code basePackage} (production classes only). */
    public static void assertNone(String basePackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
        slices().matching(basePackage + ".(*)..").namingSlices("package $1")
                .should().beFreeOfCycles()
                .check(classes);
    }
}
