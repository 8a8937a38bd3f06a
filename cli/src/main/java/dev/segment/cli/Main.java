package dev.segment.cli;

import dev.segment.cli.logging.ConsoleLogging;
import dev.segment.codecs.FfmpegLog;
import dev.segment.engine.deeplab.TensorFlowLog;
import dev.segment.config.ConfigFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code segment}: the command line. The only place in the project that decides exit codes and calls
 * {@link System#exit}.
 */
@Command(name = "segment", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Semantic segmentation of video (DeepLab v3, PASCAL VOC 21 classes) with a DenseCRF refinement.",
        subcommands = {
            ConvertCommand.class,
            BenchCommand.class,
            SoakCommand.class,
            InfoCommand.class,
            StreamCommand.class,
            LiveCommand.class,
            CrfCommand.class, EvalCommand.class,
            JobCommand.class,
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
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
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
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
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
            return "unknown command '" + arg + "'" + (closest == null ? "; commands: "
                    + String.join(", ", spec.subcommands().keySet()) : " (did you mean '" + closest + "'?)");
        }
        return ex.getMessage();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (convert, bench, ...)");
    }

    /** Version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"segment " + (v == null ? "(development build)" : v)};
        }
    }
}
