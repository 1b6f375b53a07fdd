package io.orchwf.spring;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The Spring integration uses orchwf's API and SPI only, never its engine.
 */
class SpringLayeringTests {

	private static final JavaClasses SPRING = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.orchwf.spring");

	@Test
	void usesTheApiAndSpiOnly() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAPackage("io.orchwf.internal..")
			.because("auto-configuration must work against the public API and the StateStore SPI")
			.check(SPRING);
	}

}
