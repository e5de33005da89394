package io.freehold.controlplane.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * Each architecture rule catches a deliberate violation in {@code io.freehold.archfixture}, so a rule
 * that passes on the product passes because the product keeps it, not because the rule is vacuous.
 */
class ArchitectureRulesCanFailTest {

    private final JavaClasses rogue = new ClassFileImporter().importPackages("io.freehold.archfixture");

    @Test
    void decisionPurityCatchesSpringAndTheClock() {
        assertThatThrownBy(() -> ArchitectureRules.DECISIONS_ARE_PURE.check(rogue))
                .hasMessageContaining("ClockReadingDecision")
                .hasMessageContaining("Instant.now()")
                .hasMessageContaining("org.springframework");
    }

    @Test
    void sqlOutsideStoresIsCaught() {
        assertThatThrownBy(() -> ArchitectureRules.ONLY_STORES_TOUCH_SQL.check(rogue))
                .hasMessageContaining("RogueController");
    }

    @Test
    void reachingIntoAnotherFeaturesStoreIsCaught() {
        assertThatThrownBy(() -> ArchitectureRules.STORES_ARE_PRIVATE_TO_THEIR_FEATURE.check(rogue))
                .hasMessageContaining("Intruder");
    }

    @Test
    void vagueNamesAreCaught() {
        assertThatThrownBy(() -> ArchitectureRules.NO_VAGUE_NAMES.check(rogue))
                .hasMessageContaining("RogueManager");
    }

    @Test
    void featuresAreThePackagesBelowTheRoot() {
        assertThat(ArchitectureRules.featureOf(rogue.get(io.freehold.archfixture.rogue.decision.ClockReadingDecision.class)))
                .isEqualTo("io.freehold.archfixture.rogue");
    }
}
