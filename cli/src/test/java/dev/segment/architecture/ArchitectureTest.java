package dev.segment.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The arrows between modules and between the engine's packages, checked on the compiled classes of every module (this
 * module has them all on its class path). A class that depends on a layer above it, or two packages that depend on each
 * other, fail the build.
 */
@AnalyzeClasses(
        packages = "dev.segment",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {

    // spotless:off (one layer a line)
    /** cli -> flink -> engine -> codecs -> crf, config; nothing points back up. */
    @ArchTest
    static final ArchRule modules = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy("dev.segment.cli..")
            .layer("flink").definedBy("dev.segment.flink..")
            .layer("engine").definedBy("dev.segment.engine..")
            .layer("codecs").definedBy("dev.segment.codecs..")
            .layer("crf").definedBy("dev.segment.crf..")
            .layer("config").definedBy("dev.segment.config..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("flink").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("engine").mayOnlyBeAccessedByLayers("flink", "cli")
            .whereLayer("codecs").mayOnlyBeAccessedByLayers("engine", "flink", "cli")
            .whereLayer("crf").mayOnlyBeAccessedByLayers("codecs", "engine", "flink", "cli");

    /**
     * The engine follows the data. The application layer (engine.app) turns a configuration into a running pipeline
     * for the commands and the Flink job. Its top package holds what passes between the stages (frame reports, score grids,
     * the segmenter and refiner interfaces). The pipeline assembles the ring's stages; the stages use the keyframe, CRF
     * and model packages; none of those knows the stages or the pipeline.
     */
    @ArchTest
    static final ArchRule engineStages = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("app").definedBy("dev.segment.engine.app..")
            .layer("contracts").definedBy("dev.segment.engine")
            .layer("pipeline").definedBy("dev.segment.engine.pipeline..")
            .layer("stages").definedBy("dev.segment.engine.stages..")
            .layer("keyframes").definedBy("dev.segment.engine.keyframes..")
            .layer("crf").definedBy("dev.segment.engine.crf..")
            .layer("deeplab").definedBy("dev.segment.engine.deeplab..")
            .whereLayer("app").mayNotBeAccessedByAnyLayer()
            .whereLayer("pipeline").mayOnlyBeAccessedByLayers("app")
            .whereLayer("stages").mayOnlyBeAccessedByLayers("pipeline")
            .whereLayer("keyframes").mayOnlyBeAccessedByLayers("app", "pipeline", "stages")
            .whereLayer("crf").mayOnlyBeAccessedByLayers("app", "pipeline", "stages")
            .whereLayer("deeplab").mayOnlyBeAccessedByLayers("app", "contracts", "pipeline", "stages", "keyframes", "crf");

    // spotless:on

    /**
     * No two packages depend on each other, in any module. A package's {@code internal} package is its implementation
     * and counts as part of it.
     */
    @ArchTest
    static final ArchRule noCycles =
            slices().assignedFrom(new PackageWithItsInternals()).should().beFreeOfCycles();

    static final class PackageWithItsInternals implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (!name.startsWith("dev.segment.")) {
                return SliceIdentifier.ignore();
            }
            return SliceIdentifier.of(name.replaceAll("\\.internal(\\..*)?$", ""));
        }

        @Override
        public String getDescription() {
            return "packages of dev.segment, each with its internal packages";
        }
    }

    /**
     * Other modules' test jars and the test-support module (the tests' shared helpers) are on the class path too:
     * their classes are not checked.
     */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar")
                    && !location.contains("/test-classes/")
                    && !location.contains("segment-test-support")
                    && !location.contains("/test-support/target/");
        }
    }
}
