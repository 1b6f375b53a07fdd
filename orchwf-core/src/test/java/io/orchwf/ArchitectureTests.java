package io.orchwf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the layering: the API and the SPI never reach into the engine (but for the one
 * place that constructs it), the engine talks to stores only through the SPI, its
 * packages are layers without a circle between them or between their classes, and nothing
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

	@Test
	void theEnginesPackagesAreLayers() {
		String engine = "io.orchwf.internal.engine";
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("facade")
			.definedBy(engine)
			.layer("node")
			.definedBy(engine + ".node..")
			.layer("run")
			.definedBy(engine + ".run..")
			.layer("state machine")
			.definedBy(engine + ".statemachine..")
			.layer("attempt")
			.definedBy(engine + ".attempt..")
			.layer("write")
			.definedBy(engine + ".write..")
			.layer("pool")
			.definedBy(engine + ".pool..")
			.layer("support")
			.definedBy(engine + ".support..")
			.whereLayer("facade")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("node")
			.mayOnlyBeAccessedByLayers("facade")
			.whereLayer("run")
			.mayOnlyBeAccessedByLayers("facade", "node")
			.whereLayer("state machine")
			.mayOnlyBeAccessedByLayers("node", "run")
			.whereLayer("attempt")
			.mayOnlyBeAccessedByLayers("node", "run", "state machine")
			.whereLayer("write")
			.mayOnlyBeAccessedByLayers("node", "run")
			.whereLayer("pool")
			.mayOnlyBeAccessedByLayers("node", "run", "attempt")
			.because("each package of the engine builds on those below it only (see its package-info)")
			.check(CORE);
	}

	@Test
	void noCircleBetweenInternalPackages() {
		slices().matching("io.orchwf.internal.(**)").should().beFreeOfCycles().check(CORE);
	}

	@Test
	void noCircleBetweenInternalClasses() {
		slices().assignedFrom(new TopLevelClassesOf("io.orchwf.internal"))
			.should()
			.beFreeOfCycles()
			.because("a class that needs its owner takes what it needs (ids, callbacks, outcomes) instead")
			.check(CORE);
	}

	@Test
	void noInternalClassIsOver450Lines() throws IOException {
		Path internal = Path.of("src/main/java/io/orchwf/internal");
		assertThat(internal).isDirectory();
		try (Stream<Path> sources = Files.walk(internal)) {
			List<String> tooLong = sources.filter((path) -> path.toString().endsWith(".java"))
				.filter((path) -> lineCount(path) > 450)
				.map((path) -> internal.relativize(path) + " (" + lineCount(path) + " lines)")
				.toList();
			assertThat(tooLong).as("classes to split by concern").isEmpty();
		}
	}

	private static long lineCount(Path source) {
		try (Stream<String> lines = Files.lines(source)) {
			return lines.count();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One slice per top-level class of a package and its sub-packages, its nested classes
	 * with it.
	 */
	private static final class TopLevelClassesOf implements SliceAssignment {

		private final String packagePrefix;

		TopLevelClassesOf(String packagePrefix) {
			this.packagePrefix = packagePrefix;
		}

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			if (!javaClass.getPackageName().startsWith(this.packagePrefix)) {
				return SliceIdentifier.ignore();
			}
			String name = javaClass.getName();
			int nested = name.indexOf('$');
			return SliceIdentifier.of((nested < 0) ? name : name.substring(0, nested));
		}

		@Override
		public String getDescription() {
			return "the classes of " + this.packagePrefix;
		}

	}

}
