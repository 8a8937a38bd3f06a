package dev.segment.cli;

import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code segment live [--device /dev/video0|INDEX] --model GRAPH.pb}: a webcam in a preview window with the overlay,
 * a legend and the fps. Without a display, {@code --http-preview PORT} shows it in a browser instead.
 */
@Command(
        name = "live",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Segment a webcam and show the overlay in a window (or a browser with --http-preview).")
final class LiveCommand implements Callable<Integer> {

    @Option(
            names = "--device",
            paramLabel = "DEV",
            description =
                    "/dev/videoN, an index N, or any source `stream`" + " accepts (e.g. lavfi:testsrc2). Default 0.")
    String device = "0";

    @Option(names = "--size", paramLabel = "WxH", description = "Capture size asked of the webcam.")
    String size;

    @Option(names = "--fps", paramLabel = "N", description = "Capture rate asked of the webcam.")
    double fps;

    @Option(names = "--out", paramLabel = "URI_OR_FILE", description = "Also record or push (as in `stream`).")
    List<String> outputs = new ArrayList<>();

    @Mixin
    ConfigFlags fields =
            new ConfigFlags(ConfigFlag.HTTP_PREVIEW, ConfigFlag.METRICS_PORT, ConfigFlag.DURATION, ConfigFlag.FRAMES);

    @Mixin
    ConfigOptions common;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigOverrides o = new ConfigOverrides();
        fields.putAll(o);
        SegmentConfig config = common.load(o);
        common.requireModel(config);
        boolean window = config.listen().httpPreviewPort() == 0;
        if (window && java.awt.GraphicsEnvironment.isHeadless()) {
            throw new CommandLine.ParameterException(spec.commandLine(), noDisplay(System.getenv("DISPLAY")));
        }
        return StreamCommand.run(
                config,
                device,
                size,
                fps,
                new StreamCommand.Outputs(outputs, null, common.overwrite),
                window,
                System.err);
    }

    /** Why there is no window, and the way to the browser preview instead (a usage error: exit 2). */
    static String noDisplay(String display) {
        String why = display == null || display.isBlank()
                ? "DISPLAY is not set"
                : "Java runs headless (java.awt.headless=true)";
        return "no display found for the preview window (" + why + "): watch in a browser instead with"
                + " --http-preview PORT (e.g. --http-preview 8080, then open http://127.0.0.1:8080/), or run on a"
                + " desktop session";
    }
}
