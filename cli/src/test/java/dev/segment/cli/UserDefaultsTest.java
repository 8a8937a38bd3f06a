package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.ChildSegment;
import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --model} may be left out when the user configured a default: {@code model.path} in
 * {@code $XDG_CONFIG_HOME/segment/config.yaml} (or ~/.config/segment/config.yaml), or {@code SEGMENT_MODEL}; the
 * flags and {@code --config} still win, and without any a message says every way to give one.
 */
class UserDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void theUserFileUnderXdgConfigHomeGivesTheModelRelativeToItself() throws Exception {
        Path xdg = dir.resolve("xdg");
        Files.createDirectories(xdg.resolve("segment"));
        Files.writeString(xdg.resolve("segment/config.yaml"), "model: {path: models/graph.pb}\ncrf: {iterations: 7}\n");
        UserDefaults user = new UserDefaults(Map.of("XDG_CONFIG_HOME", xdg.toString()), dir.resolve("home"));
        SegmentConfig c = user.apply(SegmentConfig.defaults());
        assertEquals(
                xdg.resolve("segment/models/graph.pb").toString(), c.model().path());
        assertEquals(7, c.crf().iterations(), "the user file is a whole configuration layer");
    }

    @Test
    void withoutXdgConfigHomeTheFileIsInDotConfig() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".config/segment"));
        Files.writeString(home.resolve(".config/segment/config.yaml"), "model:\n  path: ~/graphs/g.pb\n");
        UserDefaults user = new UserDefaults(Map.of(), home);
        assertEquals(
                home.resolve("graphs/g.pb").toString(),
                user.apply(SegmentConfig.defaults()).model().path());
    }

    @Test
    void theEnvironmentVariableOverridesTheFileAndFlagsOverrideBoth() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".config/segment"));
        Files.writeString(home.resolve(".config/segment/config.yaml"), "model: {path: /from/file.pb}\n");
        UserDefaults user = new UserDefaults(Map.of("SEGMENT_MODEL", "/from/env.pb"), home);
        assertEquals(
                "/from/env.pb", user.apply(SegmentConfig.defaults()).model().path());

        ConfigOptions options = new ConfigOptions();
        options.user = user;
        assertEquals("/from/env.pb", options.load(new ConfigOverrides()).model().path());
        Path explicit = Files.writeString(dir.resolve("run.yaml"), "model: {path: /from/config.pb}\n");
        options.configFile = explicit;
        assertEquals(
                "/from/config.pb", options.load(new ConfigOverrides()).model().path(), "--config wins");
        options.fields.set(ConfigFlag.MODEL, "/from/flag.pb");
        assertEquals(
                "/from/flag.pb", options.load(new ConfigOverrides()).model().path(), "--model wins");
    }

    @Test
    void aMistakeInTheUserFileNamesTheFile() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".config/segment"));
        Path file = Files.writeString(home.resolve(".config/segment/config.yaml"), "modle: {path: x.pb}\n");
        ConfigException e = assertThrows(
                ConfigException.class, () -> new UserDefaults(Map.of(), home).apply(SegmentConfig.defaults()));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("modle"), e.getMessage());
    }

    @Test
    void withoutAnyModelTheMessageSaysEveryWayToGiveOne() throws Exception {
        ConfigOptions options = new ConfigOptions();
        options.user = new UserDefaults(Map.of(), dir.resolve("empty-home"));
        SegmentConfig c = options.load(new ConfigOverrides());
        assertNull(c.model().path());
        ConfigException e = assertThrows(ConfigException.class, () -> options.requireModel(c));
        for (String part : List.of(
                "--model",
                "SEGMENT_MODEL",
                dir.resolve("empty-home/.config/segment/config.yaml").toString(),
                "model zoo")) {
            assertTrue(e.getMessage().contains(part), "names " + part + ": " + e.getMessage());
        }
    }

    @Test
    void theLegendIsOnByDefaultAndGivesWayToTheFlagAndTheFiles() throws Exception {
        ConfigOptions options = new ConfigOptions();
        options.user = new UserDefaults(Map.of(), dir.resolve("empty-home"));
        assertTrue(options.load(new ConfigOverrides()).overlay().legend());
        options.configFile = Files.writeString(dir.resolve("nolegend.yaml"), "overlay: {legend: false}\n");
        assertEquals(false, options.load(new ConfigOverrides()).overlay().legend());
        options.configFile = null;
        options.fields.set(ConfigFlag.LEGEND, "off");
        assertEquals(false, options.load(new ConfigOverrides()).overlay().legend());
    }

    /** An on|off flag refuses anything else, naming the flag, the field and the two words it takes. */
    @Test
    void onOffFlagsSayOnOrOff() {
        ConfigOptions options = new ConfigOptions();
        options.user = new UserDefaults(Map.of(), dir.resolve("empty-home"));
        for (String bad : List.of("maybe", "yes", "no", "1")) {
            options.fields.set(ConfigFlag.CRF, bad);
            ConfigException e = assertThrows(ConfigException.class, () -> options.load(new ConfigOverrides()));
            assertEquals("--crf: crf.enabled = " + bad + ": must be on or off", e.getMessage());
        }
        options.fields.set(ConfigFlag.CRF, null);
        options.fields.set(ConfigFlag.LEGEND, "yes");
        ConfigException e = assertThrows(ConfigException.class, () -> options.load(new ConfigOverrides()));
        assertEquals("--legend: overlay.legend = yes: must be on or off", e.getMessage());
    }

    /** eval takes the same default; without one it exits 3 with the same message. */
    @ModelTest
    @SystemTest
    @Test
    void evalUsesTheDefaultModelToo() throws Exception {
        Path voc = Shared.dir().resolve("data/voc");
        String[] args = {
            "eval",
            "--images",
            voc.resolve("JPEGImages").toString(),
            "--masks",
            voc.resolve("SegmentationClass").toString(),
            "--crf",
            "off"
        };
        Path empty = Files.createDirectories(dir.resolve("empty-xdg"));
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of(),
                Map.of("SEGMENT_MODEL", "", "XDG_CONFIG_HOME", empty.toString()),
                dir.resolve("eval-none.log"),
                args)) {
            assertEquals(ExitCodes.CONFIG, child.waitFor(120), child.output());
            assertTrue(child.output().contains("SEGMENT_MODEL"), child.output());
        }
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of(),
                Map.of("SEGMENT_MODEL", Shared.model().toString()),
                dir.resolve("eval.log"),
                args)) {
            assertEquals(0, child.waitFor(120), child.output());
            assertTrue(child.output().contains("mIoU: 0."), child.output());
        }
    }

    /** End to end in a child JVM: a photo converted with no --model, the model given by SEGMENT_MODEL. */
    @ModelTest
    @SystemTest
    @Test
    void convertRunsWithTheModelFromTheEnvironment() throws Exception {
        Path out = dir.resolve("dog.png");
        Path log = dir.resolve("child.log");
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of(),
                Map.of(
                        "SEGMENT_MODEL",
                        Shared.model().toString(),
                        "XDG_CONFIG_HOME",
                        dir.resolve("no-config").toString()),
                log,
                "convert",
                Shared.dir().resolve("data/images/deeplab_image2_dog.jpg").toString(),
                out.toString(),
                "--no-progress")) {
            assertEquals(0, child.waitFor(120), child.output());
        }
        assertTrue(Files.size(out) > 1000, "overlay written");
    }
}
