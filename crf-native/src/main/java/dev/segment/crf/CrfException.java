package dev.segment.crf;

/** The DenseCRF cannot run: native library missing or broken, CUDA unusable, or a native failure during inference. */
public class CrfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CrfException(String message) {
        super(message);
    }

    public CrfException(String message, Throwable cause) {
        super(message, cause);
    }
}
