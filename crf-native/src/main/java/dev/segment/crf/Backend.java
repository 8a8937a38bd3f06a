package dev.segment.crf;

/** Which DenseCRF implementation runs. */
public enum Backend {
    /** CUDA when a GPU and the CUDA plugin are usable, else the CPU; the reason is in {@link DenseCrf#backendReason()}. */
    AUTO,
    /** The multi-threaded C++ implementation. */
    CPU,
    /** The CUDA implementation; opening fails with the cause when it is unusable. */
    CUDA
}
