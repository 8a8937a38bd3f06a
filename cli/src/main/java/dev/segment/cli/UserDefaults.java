package dev.segment.cli;

import dev.segment.config.ConfigException;
import dev.segment.config.ConfigLoader;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.ModelConfig;
import dev.segment.config.SegmentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings a user makes once for every run, so that {@code --model} can be left out: a user configuration file,
 * {@code $XDG_CONFIG_HOME/segment/config.yaml} (or {@code .yml}, {@code .json}; {@code ~/.config} when
 * {@code XDG_CONFIG_HOME} is unset, as the XDG base directory convention says), then the environment variable
 * {@value #MODEL_ENV} for the model. Both sit under {@code --config FILE} and the flags, which override them.
 * A relative {@code model.path} in the user file is relative to that file's directory (the file may be read from
 * any working directory).
 */
final class UserDefaults {
    static final String MODEL_ENV = "SEGMENT_MODEL";
    private static final List<String> NAMES = List.of("config.yaml", "config.yml", "config.json");

    private final Map<String, String> env;
    private final Path home;

    /**
     * @param env  the environment ({@code System.getenv()})
     * @param home the user's home directory, or null when unknown
     */
    UserDefaults(Map<String, String> env, Path home) {
        this.env = Objects.requireNonNull(env, "env");
        this.home = home;
    }

    static UserDefaults ofProcess() {
        String home = System.getProperty("user.home");
        return new UserDefaults(System.getenv(), home == null || home.isBlank() ? null : Path.of(home));
    }

    /** The user configuration file that exists, or null. */
    Path configFile() {
        Path dir = configDir();
        if (dir == null) {
            return null;
        }
        for (String name : NAMES) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    /** Where the user configuration file is looked for: {@code $XDG_CONFIG_HOME/segment} or ~/.config/segment. */
    Path configDir() {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "segment");
        }
        return home == null ? null : home.resolve(".config").resolve("segment");
    }

    /**
     * {@code commandDefaults} with the user file and {@value #MODEL_ENV} applied.
     *
     * @throws ConfigException naming the user file, field and value when the file is wrong
     */
    SegmentConfig apply(SegmentConfig commandDefaults) throws ConfigException {
        SegmentConfig config = commandDefaults;
        Path file = configFile();
        if (file != null) {
            config = ConfigLoader.load(commandDefaults, file, new ConfigOverrides());
            String model = config.model().path();
            if (model != null && model.equals(commandDefaults.model().path())) {
                model = null; // not set by the file
            }
            if (model != null) {
                Path p = Path.of(expandHome(model));
                if (!p.isAbsolute()) {
                    p = file.toAbsolutePath().getParent().resolve(p).normalize();
                }
                config = config.withModel(new ModelConfig(p.toString()));
            }
        }
        String fromEnv = env.get(MODEL_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            config = config.withModel(new ModelConfig(expandHome(fromEnv)));
        }
        return config;
    }

    private String expandHome(String path) {
        return home != null && path.startsWith("~/")
                ? home.resolve(path.substring(2)).toString()
                : path;
    }

    /** The message for a run that has no model: every way to give one, and where to get one. */
    String noModelMessage() {
        Path dir = configDir();
        String file = dir == null
                ? "~/.config/segment/config.yaml"
                : dir.resolve("config.yaml").toString();
        return "no model given: pass --model GRAPH.pb, set " + MODEL_ENV + "=GRAPH.pb, or put 'model: {path: GRAPH.pb}'"
                + " in " + file + ". Any DeepLab v3 PASCAL VOC frozen graph works (frozen_inference_graph.pb from the"
                + " DeepLab model zoo, e.g. deeplabv3_mnv2_pascal_train_aug; see the README's Models section)";
    }
}
