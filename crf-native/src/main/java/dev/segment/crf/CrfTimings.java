package dev.segment.crf;

/**
 * Wall-clock times of one {@link DenseCrf#infer} call, in milliseconds.
 *
 * @param latticeMillis building both lattices and their normalisation (the Gaussian one is reused while the frame
 *     size stays)
 * @param initMillis unary and Q0
 * @param iterationsMillis the mean-field iterations (KL evaluation excluded)
 * @param totalMillis the whole call inside the native library
 */
public record CrfTimings(double latticeMillis, double initMillis, double iterationsMillis, double totalMillis) {}
