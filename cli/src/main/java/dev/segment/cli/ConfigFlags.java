package dev.segment.cli;

import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * A command's flags that set configuration fields, as a picocli mixin: {@code @Mixin ConfigFlags flags = new
 * ConfigFlags(ConfigFlag.MASKS, ConfigFlag.STATS)} gives the command those options (name, label and help from
 * {@link ConfigFlag}), and {@link #putAll} applies what the user gave.
 */
final class ConfigFlags {
    private final List<ConfigFlag> flags;
    private final Map<ConfigFlag, String> given = new EnumMap<>(ConfigFlag.class);

    ConfigFlags(ConfigFlag... flags) {
        this.flags = List.of(flags);
    }

    /** Picocli hands over this mixin's own spec while it builds the command: the options are added to it there. */
    @Spec(Spec.Target.SELF)
    void addOptions(CommandSpec self) {
        for (ConfigFlag f : flags) {
            OptionSpec.Builder option =
                    OptionSpec.builder(f.flag).description(f.description()).hidden(f.kind == ConfigFlag.Kind.HIDDEN);
            if (f.kind == ConfigFlag.Kind.SWITCH) {
                option.type(boolean.class).arity("0").setter(new Setter(f, v -> (Boolean) v ? "true" : null));
            } else {
                option.type(String.class).paramLabel(f.label).setter(new Setter(f, v -> (String) v));
            }
            self.addOption(option.build());
        }
    }

    /** Sets the field of every flag the user gave, in declaration order (a later spelling of a field wins). */
    void putAll(ConfigOverrides o) throws ConfigException {
        for (ConfigFlag f : flags) {
            f.put(o, given.get(f));
        }
    }

    /** As if the user gave {@code text} for {@code flag} (null: not given). */
    void set(ConfigFlag flag, String text) {
        if (text == null) {
            given.remove(flag);
        } else {
            given.put(flag, text);
        }
    }

    /** The text the user gave for {@code flag}, or null. */
    String given(ConfigFlag flag) {
        return given.get(flag);
    }

    private final class Setter implements picocli.CommandLine.Model.ISetter {
        private final ConfigFlag flag;
        private final java.util.function.Function<Object, String> text;

        Setter(ConfigFlag flag, java.util.function.Function<Object, String> text) {
            this.flag = flag;
            this.text = text;
        }

        @Override
        public <T> T set(T value) {
            ConfigFlags.this.set(flag, value == null ? null : text.apply(value));
            return null;
        }
    }
}
