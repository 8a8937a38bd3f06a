/**
 * From a configuration to a running pipeline, for every command and the Flink job's workers alike: the model
 * ({@link dev.segment.engine.app.Models}), the sources ({@link dev.segment.engine.app.SourceSettings}), the outputs
 * ({@link dev.segment.engine.app.OutputSettings}) and the finalize-on-signal hook
 * ({@link dev.segment.engine.app.FinalizeOnSignal}). Each configuration field becomes a runtime object here and
 * nowhere else.
 */
package dev.segment.engine.app;
