package dev.segment.serve;

import java.util.List;

/**
 * A polygon in the frame's relative coordinates: x from 0 (left) to 1 (right), y from 0 (top) to 1 (bottom).
 *
 * @param name   the zone's name, unique within its camera
 * @param points the corners in order, at least three, each {x, y} in 0..1
 */
public record Zone(String name, List<double[]> points) {
    public Zone {
        points = List.copyOf(points);
    }

    /**
     * Which pixels of a {@code width x height} frame are inside (their centre is inside the polygon, even-odd rule),
     * one byte per pixel, row-major, 1 inside.
     */
    public byte[] rasterize(int width, int height) {
        byte[] mask = new byte[width * height];
        int n = points.size();
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = points.get(i)[0] * width;
            ys[i] = points.get(i)[1] * height;
        }
        double[] crossings = new double[n];
        for (int y = 0; y < height; y++) {
            double cy = y + 0.5;
            int count = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                if ((ys[i] > cy) != (ys[j] > cy)) {
                    crossings[count++] = xs[j] + (cy - ys[j]) * (xs[i] - xs[j]) / (ys[i] - ys[j]);
                }
            }
            java.util.Arrays.sort(crossings, 0, count);
            for (int k = 0; k + 1 < count; k += 2) {
                int from = (int) Math.max(0, Math.ceil(crossings[k] - 0.5));
                int to = (int) Math.min(width - 1, Math.ceil(crossings[k + 1] - 0.5) - 1);
                for (int x = from; x <= to; x++) {
                    mask[y * width + x] = 1;
                }
            }
        }
        return mask;
    }
}
