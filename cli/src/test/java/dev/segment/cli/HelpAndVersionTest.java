package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.Segment;
import dev.segment.testing.SystemTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code --help} and {@code --version} print: clean text in the user's words, and the build's commit. */
class HelpAndVersionTest {

    /** Every command's help, the top level's included. */
    private static List<List<String>> helpCommands() {
        List<List<String>> all = new ArrayList<>(List.of(List.of("--help")));
        new CommandLine(new Main())
                .getSubcommands().keySet().stream()
                        .filter(name -> !name.equals("help"))
                        .forEach(name -> all.add(List.of(name, "--help")));
        return all;
    }

    @Test
    void everyHelpTextFormatsWithoutWarningsAndWithoutFlinkWords() throws Exception {
        List<List<String>> commands = helpCommands();
        assertTrue(commands.size() >= 10, commands.toString());
        for (List<String> args : commands) {
            Segment.Result r = Segment.run(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), args + ": " + r);
            assertTrue(r.out().startsWith("Usage: segment"), args + ": " + r);
            String all = r.out() + r.err();
            assertFalse(all.contains("[picocli WARN]") || all.contains("Could not format"), args + ": " + r);
            assertFalse(all.contains("%n") || all.contains("%%"), "a format sequence left in " + args + ": " + r);
            for (String internal : List.of("emitted", "subtask", "enumerator", "split reader")) {
                assertFalse(all.toLowerCase(Locale.ROOT).contains(internal), internal + " in " + args + ": " + r);
            }
        }
    }

    @Test
    void soakHelpShowsItsPercentage() throws Exception {
        Segment.Result r = Segment.run("soak", "--help");
        assertTrue(r.out().replaceAll("\\s+", " ").contains("10% of --frames"), r::toString);
    }

    /**
     * --version names the version and, built in a git clone, the commit HEAD is at (as git itself says); built
     * elsewhere (a linked worktree, a source tarball) it says the commit is unknown rather than name a wrong one.
     */
    @SystemTest
    @Test
    void versionNamesTheBuildsCommit() throws Exception {
        Segment.Result r = Segment.run("--version");
        assertEquals(0, r.exitCode(), r::toString);
        String line = r.out().strip();
        String head = gitHead();
        if (Files.isDirectory(Path.of("..", ".git")) && head != null) {
            assertTrue(
                    line.matches("segment \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-f]{10,40},"
                            + " \\d{4}-\\d{2}-\\d{2}(, with changes not committed)?\\)"),
                    line);
            assertTrue(line.contains("(commit " + head + ","), "built from " + head + ": " + line);
        } else {
            assertTrue(
                    line.matches("segment \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit unknown: not built in a git"
                            + " clone\\)"),
                    line);
        }
    }

    @Test
    void versionOfABuildWithoutGitSaysTheCommitIsUnknown() {
        Properties unfilled = new Properties();
        unfilled.setProperty("version", "1.2.3");
        unfilled.setProperty("commit", "${git.commit.id.abbrev}");
        unfilled.setProperty("commitDate", "${git.commit.time}");
        assertEquals("segment 1.2.3 (commit unknown: not built in a git clone)", Main.Version.line(unfilled));
        assertEquals("segment (version unknown: not built by Maven)", Main.Version.line(new Properties()));
        Properties dirty = new Properties();
        dirty.setProperty("version", "1.2.3");
        dirty.setProperty("commit", "0123456789");
        dirty.setProperty("commitDate", "2026-12-07");
        dirty.setProperty("dirty", "true");
        assertEquals(
                "segment 1.2.3 (commit 0123456789, 2026-12-07, with changes not committed)", Main.Version.line(dirty));
    }

    /** HEAD's commit, 10 hex digits, from git in the module's directory; null without git or outside a checkout. */
    private static String gitHead() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("git", "rev-parse", "--short=10", "HEAD")
                    .directory(Path.of("").toAbsolutePath().toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException noGit) {
            return null;
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{10,40}") ? out : null;
        } finally {
            p.destroyForcibly();
        }
    }
}
