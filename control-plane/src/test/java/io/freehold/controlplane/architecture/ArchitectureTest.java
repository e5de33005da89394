package io.freehold.controlplane.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The product code keeps ARCHITECTURE §2's rules. */
class ArchitectureTest {

    private static JavaClasses product;

    @BeforeAll
    static void importProductClasses() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.freehold.controlplane");
    }

    @Test
    void decisionCodeIsPure() {
        ArchitectureRules.DECISIONS_ARE_PURE.check(product);
    }

    @Test
    void onlyStoresTouchSql() {
        ArchitectureRules.ONLY_STORES_TOUCH_SQL.check(product);
    }

    @Test
    void storesArePrivateToTheirFeature() {
        ArchitectureRules.STORES_ARE_PRIVATE_TO_THEIR_FEATURE.check(product);
    }

    @Test
    void platformKnowsNoFeature() {
        ArchitectureRules.PLATFORM_KNOWS_NO_FEATURE.check(product);
    }

    @Test
    void namesSayWhatAThingIs() {
        ArchitectureRules.NO_VAGUE_NAMES.check(product);
    }
}
