package io.freehold.controlplane.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.Arrays;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The structural rules of ARCHITECTURE §2, as values so that {@link ArchitectureTest} can apply them to
 * the product and {@link ArchitectureRulesCanFailTest} can show each one catching a violation.
 */
final class ArchitectureRules {

    private static final String FEATURES = "io.freehold.controlplane";

    private ArchitectureRules() {
    }

    /**
     * Pure decision code (placement, rating, usage integration, lifecycle transitions) lives in a
     * feature's {@code decision} sub-package: values in, values out, and the time is a parameter.
     */
    static final ArchRule DECISIONS_ARE_PURE = CompositeArchRule
            .of(noClasses()
                    .that().resideInAPackage("..decision..")
                    .should().dependOnClassesThat().resideInAnyPackage(
                            "org.springframework..", "java.sql..", "javax.sql..", "jakarta.servlet..", "io.grpc..", "org.libvirt..")
                    .allowEmptyShould(true)
                    .as("decision packages use no Spring, JDBC, servlet or network"))
            .and(noClasses()
                    .that().resideInAPackage("..decision..")
                    .should().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                    .allowEmptyShould(true)
                    .as("decision packages take no Clock"))
            .and(classes()
                    .that().resideInAPackage("..decision..")
                    .should(notReadTheClockOrRandomness())
                    .allowEmptyShould(true)
                    .as("decision packages read neither the clock nor randomness"));

    /** SQL lives only in {@code *Store} classes (and the embedded-database launcher of the platform). */
    static final ArchRule ONLY_STORES_TOUCH_SQL = noClasses()
            .that().haveSimpleNameNotEndingWith("Store")
            .and().resideOutsideOfPackage("..platform.db..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "java.sql..", "javax.sql..")
            .allowEmptyShould(true)
            .as("only *Store classes use JDBC");

    /** A feature's store is its own: other features go through its service or facade. */
    static final ArchRule STORES_ARE_PRIVATE_TO_THEIR_FEATURE = classes()
            .that().haveSimpleNameEndingWith("Store")
            .should(onlyBeAccessedFromTheirOwnFeature())
            .allowEmptyShould(true)
            .as("a feature's *Store is used only inside that feature");

    /** The platform offers conventions to features and knows none of them. */
    static final ArchRule PLATFORM_KNOWS_NO_FEATURE = noClasses()
            .that().resideInAPackage(FEATURES + ".platform..")
            .should().dependOnClassesThat(insideAFeatureOtherThanPlatform())
            .allowEmptyShould(true)
            .as("platform depends on no feature");

    static final ArchRule NO_VAGUE_NAMES = noClasses()
            .should().haveSimpleNameEndingWith("Manager")
            .orShould().haveSimpleNameEndingWith("Impl")
            .orShould().haveSimpleNameEndingWith("Helper")
            .orShould().haveSimpleNameEndingWith("Util")
            .orShould().haveSimpleNameEndingWith("Utils")
            .allowEmptyShould(true)
            .as("no *Manager, *Impl, *Helper or *Util classes");

    private static ArchCondition<JavaClass> notReadTheClockOrRandomness() {
        return new ArchCondition<>("not read the clock or randomness") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (JavaMethodCall call : item.getMethodCallsFromSelf()) {
                    String owner = call.getTargetOwner().getFullName();
                    String name = call.getName();
                    boolean clock = name.equals("now") && owner.startsWith("java.time.");
                    boolean millis = owner.equals("java.lang.System") && (name.equals("currentTimeMillis") || name.equals("nanoTime"));
                    boolean random = owner.equals("java.util.UUID") && name.equals("randomUUID")
                            || owner.equals("java.lang.Math") && name.equals("random");
                    if (clock || millis || random) {
                        events.add(SimpleConditionEvent.violated(call, call.getDescription()));
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> onlyBeAccessedFromTheirOwnFeature() {
        return new ArchCondition<>("only be accessed from their own feature") {
            @Override
            public void check(JavaClass store, ConditionEvents events) {
                String feature = featureOf(store);
                store.getDirectDependenciesToSelf().stream()
                        .filter(dependency -> !featureOf(dependency.getOriginClass()).equals(feature))
                        .forEach(dependency -> events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription())));
            }
        };
    }

    private static DescribedPredicate<JavaClass> insideAFeatureOtherThanPlatform() {
        return DescribedPredicate.describe("a feature other than platform", type ->
                type.getPackageName().startsWith(FEATURES + ".")
                        && !type.getPackageName().startsWith(FEATURES + ".platform"));
    }

    /**
     * The feature of a class: its package down to the segment right below the application
     * ({@code io.freehold.controlplane.tenancy} for anything in or under that package).
     */
    static String featureOf(JavaClass type) {
        String[] segments = type.getPackageName().split("\\.");
        return String.join(".", Arrays.copyOf(segments, Math.min(segments.length, 4)));
    }
}
