package dev.segment.cli;

import dev.segment.cli.logging.ConsoleLogging;
import dev.segment.codecs.FfmpegLog;
import dev.segment.config.ConfigFields;
import dev.segment.engine.deeplab.TensorFlowLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code segment}: the command line. The only place in the project that decides exit codes and calls
 * {@link System#exit}.
 */
@Command(
        name = "segment",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Semantic segmentation of video (DeepLab v3, PASCAL VOC 21 classes) with a DenseCRF refinement.",
        subcommands = {
            ConvertCommand.class,
            BenchCommand.class,
            SoakCommand.class,
            InfoCommand.class,
            StreamCommand.class,
            LiveCommand.class,
            CrfCommand.class,
            EvalCommand.class,
            JobCommand.class,
            ServeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j"); // JavaCPP's warnings in our format too
        }
        ConsoleLogging.configure(verbose);
        TensorFlowLog.configure(verbose); // before TensorFlow loads: it reads its log level once
        FfmpegLog.configure(verbose);
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Failures());
        cli.setParameterExceptionHandler((ex, argv) -> {
            ex.getCommandLine().getErr().println("segment: " + withSuggestion(ex));
            ex.getCommandLine()
                    .getErr()
                    .println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                            + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        return cli.execute(args);
    }

    /**
     * The parser's message, with the flag or command the user probably meant: {@code --frame} gets "did you mean
     * '--frames'?", {@code segment conver} "unknown command 'conver' (did you mean 'convert'?)". Uses the
     * configuration's "did you mean" rule, so flags, commands and config fields are suggested alike.
     */
    static String withSuggestion(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u)
                || u.getUnmatched().isEmpty()) {
            return ex.getMessage();
        }
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        String arg = u.getUnmatched().get(0);
        if (arg.startsWith("-")) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            List<String> names = new ArrayList<>();
            for (CommandLine.Model.OptionSpec option : spec.options()) {
                if (!option.hidden()) {
                    names.addAll(Arrays.asList(option.names()));
                }
            }
            String closest = ConfigFields.closest(name, names);
            return "unknown option '" + name + "'" + (closest == null ? "" : " (did you mean '" + closest + "'?)");
        }
        if (!spec.subcommands().isEmpty()) {
            String closest = ConfigFields.closest(arg, spec.subcommands().keySet());
            return "unknown command '" + arg + "'"
                    + (closest == null
                            ? "; commands: "
                                    + String.join(", ", spec.subcommands().keySet())
                            : " (did you mean '" + closest + "'?)");
        }
        return ex.getMessage();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (convert, bench, ...)");
    }

    /** The version and the git commit the build was made from ({@code version.properties}, filled in by Maven). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (java.io.IOException e) {
                // said below as an unknown version
            }
            return new String[] {line(p)};
        }

        /**
         * "segment 0.1.0 (commit 0123456789, 2026-12-07)"; a build outside a git clone (a source tarball, a linked
         * worktree: see cli/pom.xml) has no commit, and one with changes not committed says so.
         */
        static String line(java.util.Properties p) {
            String version = known(p.getProperty("version"));
            if (version == null) {
                return "segment (version unknown: not built by Maven)";
            }
            String commit = known(p.getProperty("commit"));
            if (commit == null) {
                return "segment " + version + " (commit unknown: not built in a git clone)";
            }
            String date = known(p.getProperty("commitDate"));
            return "segment " + version + " (commit " + commit + (date == null ? "" : ", " + date)
                    + ("true".equals(p.getProperty("dirty")) ? ", with changes not committed" : "") + ")";
        }

        /** Null for a missing value or a placeholder the build did not fill in. */
        private static String known(String value) {
            return value == null || value.isBlank() || value.contains("${") ? null : value.strip();
        }
    }
}
