package io.refinery.api.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Dependencies point one way: the feature modules depend on the warehouse, never on each other's
 * internals, and only the warehouse talks SQL. Checked on the compiled classes of every module.
 */
class ModuleBoundariesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.refinery");

    @Test
    void theWarehouseDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("io.refinery.warehouse..")
                .should().dependOnClassesThat().resideInAnyPackage("io.refinery.ingestion..", "io.refinery.forecasting..",
                        "io.refinery.dashboard..", "io.refinery.ops..", "io.refinery.api..")
                .check(CLASSES);
    }

    @Test
    void ingestionAndForecastingDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("io.refinery.ingestion..")
                .should().dependOnClassesThat().resideInAnyPackage("io.refinery.forecasting..", "io.refinery.dashboard..",
                        "io.refinery.ops..", "io.refinery.api..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.refinery.forecasting..")
                .should().dependOnClassesThat().resideInAnyPackage("io.refinery.ingestion..", "io.refinery.dashboard..",
                        "io.refinery.ops..", "io.refinery.api..")
                .check(CLASSES);
    }

    @Test
    void theDashboardAndOpsDoNotDependOnTheApplication() {
        noClasses().that().resideInAnyPackage("io.refinery.dashboard..", "io.refinery.ops..")
                .should().dependOnClassesThat().resideInAPackage("io.refinery.api..")
                .check(CLASSES);
    }

    /** The ERP database source reads its source over JDBC; the warehouse is reached only through the warehouse module. */
    @Test
    void onlyTheWarehouseHoldsTheWarehouseDslContext() {
        noClasses().that().resideOutsideOfPackage("io.refinery.warehouse..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.jooq.DSLContext")
                .check(CLASSES);
    }
}
