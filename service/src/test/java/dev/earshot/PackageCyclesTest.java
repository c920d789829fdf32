package dev.earshot;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages depend on each other in one direction only, so that each can be read (and
 * changed) knowing only those below it: {@code gateway} wires {@code ws} (the socket) to
 * {@code session} to {@code riva} (the stream), and nothing below points back up.
 */
@AnalyzeClasses(packages = "dev.earshot", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

    /** Between the top-level packages ({@code ws}, {@code session}, {@code riva}, {@code asr}, ...). */
    @ArchTest
    static final ArchRule capabilitiesAreFreeOfCycles =
            slices().matching("dev.earshot.(*)..").should().beFreeOfCycles();

    /** Between every package, sub-packages included ({@code asr} and {@code asr.engine}, ...). */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            slices().matching("dev.earshot.(**)").should().beFreeOfCycles();
}
