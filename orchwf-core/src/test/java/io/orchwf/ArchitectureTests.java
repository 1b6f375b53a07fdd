package io.orchwf;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Pins the layering: the API and the SPI never reach into the engine (but for the one
 * place that constructs it), the engine talks to stores only through the SPI, and nothing
 * in core knows Spring or reads the wall clock.
 */
class ArchitectureTests {

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.orchwf");

	@Test
	void apiAndSpiDoNotDependOnTheEngine() {
		noClasses().that()
			.resideInAnyPackage("io.orchwf", "io.orchwf.event", "io.orchwf.store")
			.and(not(belongToAnyOf(Orchestrator.Builder.class)))
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.orchwf.internal..")
			.because("the public API must not expose or rely on the engine, which may change without notice")
			.check(CORE);
	}

	@Test
	void theEngineUsesStoresOnlyThroughTheSpi() {
		noClasses().that()
			.resideInAPackage("io.orchwf.internal..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.orchwf.store.memory..", "io.orchwf.store.jdbc..")
			.check(CORE);
	}

	@Test
	void storesDoNotDependOnTheEngine() {
		noClasses().that()
			.resideInAnyPackage("io.orchwf.store.memory..", "io.orchwf.store.jdbc..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.orchwf.internal.engine..", "io.orchwf.internal.plan..")
			.check(CORE);
	}

	@Test
	void coreDoesNotKnowSpring() {
		noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(CORE);
	}

	@Test
	void eventsAndTheSpiDoNotDependOnStoreImplementations() {
		noClasses().that()
			.resideInAnyPackage("io.orchwf", "io.orchwf.event", "io.orchwf.store")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.orchwf.store.memory..", "io.orchwf.store.jdbc..")
			.check(CORE);
	}

	@Test
	void nothingInCoreReadsTheWallClockButTheDefaultClock() {
		noClasses().should()
			.callMethod(Instant.class, "now")
			.orShould()
			.callMethod(System.class, "currentTimeMillis")
			.orShould()
			.callMethod(LocalDateTime.class, "now")
			.orShould()
			.callMethod(OffsetDateTime.class, "now")
			.because("every time the engine decides by comes from the orchestrator's clock, so tests can move it")
			.check(CORE);
		noClasses().that(not(belongToAnyOf(Orchestrator.Builder.class)))
			.should()
			.callMethod(Clock.class, "systemUTC")
			.orShould()
			.callMethod(Clock.class, "systemDefaultZone")
			.because("the builder's default is the only wall clock")
			.check(CORE);
	}

}
