package dev.segment.cli;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.crf.Backend;
import dev.segment.crf.CameraShift;
import dev.segment.crf.CrfParams;
import dev.segment.crf.DenseCrf;
import dev.segment.crf.ScoreKind;
import dev.segment.crf.Start;
import dev.segment.crf.TemporalCrf;
import dev.segment.crf.TemporalCrfConfig;
import dev.segment.crf.WarmGate;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.deeplab.ModelException;
import dev.segment.engine.deeplab.Segmenter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code segment eval}: segmentation quality of the model, with or without the CRF.
 *
 * <ul>
 *   <li>With --images and --masks (VOC layout: NAME.jpg or NAME.png, mask NAME.png with class ids, 255 = void):
 *       mIoU from one confusion matrix over all pixels (mean over classes with a non-empty union), pixel accuracy
 *       and per-class IoU.
 *   <li>With --video: the temporal report of the CRF stage on a clip (no ground truth): for no CRF, cold runs and
 *       warm starts, the flicker (mean over consecutive frames of the fraction of pixels whose label changes), the
 *       label agreement with cold 10 iterations, the IoU of one class's mask with cold 10's, and the CRF time.
 * </ul>
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate the model (+ CRF) on a VOC-layout folder pair (mIoU, pixel accuracy, per-class IoU),",
      "or report the CRF's temporal behaviour on a clip (--video): flicker and agreement with cold 10 iterations."
    })
public final class EvalCommand implements Callable<Integer> {
  static final String[] VOC_CLASSES = {
    "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
    "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor"
  };

  @Spec CommandSpec spec;

  @Option(names = "--images", description = "folder of images NAME.jpg / NAME.png")
  Path images;

  @Option(names = "--masks", description = "folder of masks NAME.png (palette or grey, value = class id, 255 = void)")
  Path masks;

  @Option(names = "--video", description = "a clip for the temporal report instead of --images/--masks")
  Path video;

  @Option(names = "--model", description = "DeepLab frozen graph (.pb); default: $SEGMENT_MODEL or model.path in"
      + " ~/.config/segment/config.yaml")
  Path model;

  @Option(names = "--crf", defaultValue = "on", description = "on or off (default ${DEFAULT-VALUE})")
  String crf;

  @Option(names = "--crf-iterations", defaultValue = "5", description = "iterations (default ${DEFAULT-VALUE})")
  int iterations;

  @Option(names = "--gaussian", split = ",", paramLabel = "SXY,W", description = "default: the pipeline's")
  double[] gaussian;

  @Option(names = "--bilateral", split = ",", paramLabel = "SXY,SRGB,W", description = "default: the pipeline's")
  double[] bilateral;

  @Option(names = "--threads", defaultValue = "0", description = "CRF threads, 0 = all cores")
  int threads;

  @Option(names = "--frames", defaultValue = "100", description = "--video: frames to read (default 100)")
  int frames;

  @Option(names = "--skip", defaultValue = "0", description = "--video: frames to skip first (default 0)")
  int skip;

  @Option(names = "--size", paramLabel = "WxH", description = "--video: CRF resolution (default: the frame's)")
  String size;

  @Option(names = "--object", defaultValue = "15", description = "--video: class whose mask IoU is reported"
      + " (default 15, person)")
  int object;

  @Option(names = "--warm-gate", split = ",", paramLabel = "DIST,KEEP,RADIUS[,TW,TSRGB[,MOTION]]",
      description = "--video: the warm start's gate and temporal term (default: WarmGate.DEFAULT)")
  double[] warmGate;

  @Option(names = "--temporal", split = ",", paramLabel = "W",
      description = "--video: also report warm 1 and warm 2 with these temporal-term weights")
  double[] temporalWeights;

  @Option(names = "--truth", description = "--video: folder of per-frame masks (the k-th PNG in name order is frame"
      + " k's, class ids, 255 = void), for mIoU and object IoU against the truth and the truth's own flicker")
  Path truth;

  @Option(names = "--still", defaultValue = "12", description = "--video: a pixel is still when no channel of its"
      + " colour changed by more than this between the two frames (default ${DEFAULT-VALUE})")
  int stillThreshold;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (model == null) {
      UserDefaults user = UserDefaults.ofProcess();
      try {
        String configured = user.apply(dev.segment.config.SegmentConfig.defaults()).model().path();
        if (configured == null) {
          err.println("segment eval: " + user.noModelMessage());
          err.flush();
          return ExitCodes.CONFIG;
        }
        model = Path.of(configured);
      } catch (dev.segment.config.ConfigException e) {
        err.println("segment eval: configuration error: " + e.getMessage());
        err.flush();
        return ExitCodes.CONFIG;
      }
    }
    try {
      CrfParams params = params();
      if (!crf.equals("on") && !crf.equals("off")) {
        throw new IllegalArgumentException("--crf must be on or off, got " + crf);
      }
      if (iterations < 0 || iterations > 100) {
        throw new IllegalArgumentException("--crf-iterations must be in 0..100, got " + iterations);
      }
      if (!Files.isRegularFile(model)) {
        throw new NoSuchFileException(model.toString(), null, "model not found");
      }
      if (video != null) {
        if (images != null || masks != null) {
          throw new IllegalArgumentException("--video excludes --images and --masks");
        }
        return videoReport(out, params);
      }
      if (images == null || masks == null) {
        throw new IllegalArgumentException("give --images and --masks (or --video)");
      }
      return imageReport(out, params);
    } catch (IOException | ModelException | RuntimeException | UnsatisfiedLinkError e) {
      Failures.Verdict v = Failures.classifyToolFailure(e);
      err.println("segment eval: " + v.message());
      return v.exitCode();
    } finally {
      out.flush();
      err.flush();
    }
  }

  // ---------------------------------------------------------------- images

  private int imageReport(PrintWriter out, CrfParams params) throws IOException, ModelException {
    List<Path> pairs = new ArrayList<>();
    try (Stream<Path> files = Files.list(images)) {
      files.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png")).sorted().forEach(pairs::add);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(images.toString(), null, "images folder not found");
    }
    long[][] confusion = new long[21][21];
    int evaluated = 0;
    boolean useCrf = crf.equals("on");
    try (DeepLabModel deeplab = DeepLabModel.load(model);
        DenseCrf dense = useCrf ? DenseCrf.open(params, Backend.AUTO, threads) : null) {
      if (dense != null) {
        out.printf(Locale.ROOT, "crf: %s, %d iterations, gaussian %s, bilateral %s%n", dense.backendName(),
            iterations, CrfKernelFlags.num(params.gaussianSxy()) + "," + CrfKernelFlags.num(params.gaussianWeight()),
            CrfKernelFlags.num(params.bilateralSxy()) + "," + CrfKernelFlags.num(params.bilateralSrgb()) + "," + CrfKernelFlags.num(params.bilateralWeight()));
      } else {
        out.println("crf: off");
      }
      for (Path image : pairs) {
        String name = image.getFileName().toString().replaceFirst("\\.(jpg|png)$", "");
        Path mask = masks.resolve(name + ".png");
        if (!Files.isRegularFile(mask)) {
          out.println("skip " + name + ": no mask " + mask);
          continue;
        }
        Rgb rgb = readRgb(image);
        byte[] truth = readMask(mask, rgb.width, rgb.height);
        ByteBuffer labels = segment(deeplab, dense, rgb);
        long[][] own = new long[21][21];
        accumulate(own, truth, labels);
        add(confusion, own);
        out.printf(Locale.ROOT, "%s: %dx%d, mIoU %.4f%n", name, rgb.width, rgb.height, meanIou(own));
        evaluated++;
      }
    }
    if (evaluated == 0) {
      throw new NoSuchFileException(images.toString(), null, "no image with a mask in " + masks);
    }
    out.printf(Locale.ROOT, "images: %d%n", evaluated);
    out.printf(Locale.ROOT, "mIoU: %.4f%n", meanIou(confusion));
    out.printf(Locale.ROOT, "pixel accuracy: %.4f%n", pixelAccuracy(confusion));
    out.println("per-class IoU:");
    for (int c = 0; c < 21; c++) {
      double iou = iou(confusion, c);
      out.printf(Locale.ROOT, "  %2d %-12s %s%n", c, VOC_CLASSES[c],
          Double.isNaN(iou) ? "-" : String.format(Locale.ROOT, "%.4f", iou));
    }
    return ExitCodes.OK;
  }

  private ByteBuffer segment(DeepLabModel deeplab, DenseCrf dense, Rgb rgb) {
    int n = rgb.width * rgb.height;
    ByteBuffer labels = ByteBuffer.allocateDirect(n);
    try (Segmenter segmenter = deeplab.segmenter(rgb.width, rgb.height, false)) {
      if (dense == null) {
        segmenter.segment(rgb.pixels, null, labels);
        return labels;
      }
      FloatBuffer probabilities = floats(n * 21);
      segmenter.segment(rgb.pixels, probabilities, null);
      softmaxInPlace(probabilities, n, 21);
      dense.infer(rgb.pixels, rgb.width, rgb.height, 21, probabilities, ScoreKind.PROBABILITIES, null, Start.COLD,
          iterations, labels, null);
    }
    return labels;
  }

  static void accumulate(long[][] confusion, byte[] truth, ByteBuffer labels) {
    for (int i = 0; i < truth.length; i++) {
      int t = truth[i] & 0xff;
      int p = labels.get(i) & 0xff;
      if (t < 21 && p < 21) {
        confusion[t][p]++;
      }
    }
  }

  /** total += part, element by element (one image's or frame's matrix into the run's). */
  static void add(long[][] total, long[][] part) {
    for (int t = 0; t < total.length; t++) {
      for (int p = 0; p < total[t].length; p++) {
        total[t][p] += part[t][p];
      }
    }
  }

  /** IoU of class c, NaN when its union is empty. */
  static double iou(long[][] m, int c) {
    long tp = m[c][c];
    long fn = 0;
    long fp = 0;
    for (int k = 0; k < m.length; k++) {
      if (k != c) {
        fn += m[c][k];
        fp += m[k][c];
      }
    }
    long union = tp + fn + fp;
    return union == 0 ? Double.NaN : tp / (double) union;
  }

  static double meanIou(long[][] m) {
    double sum = 0;
    int classes = 0;
    for (int c = 0; c < m.length; c++) {
      double v = iou(m, c);
      if (!Double.isNaN(v)) {
        sum += v;
        classes++;
      }
    }
    return classes == 0 ? Double.NaN : sum / classes;
  }

  static double pixelAccuracy(long[][] m) {
    long right = 0;
    long all = 0;
    for (int t = 0; t < m.length; t++) {
      for (int p = 0; p < m.length; p++) {
        all += m[t][p];
        if (t == p) {
          right += m[t][p];
        }
      }
    }
    return all == 0 ? Double.NaN : right / (double) all;
  }

  // ---------------------------------------------------------------- video

  /** One way of running the CRF stage over a clip, with its running metrics. */
  private static final class Mode {
    final String name;
    final ByteBuffer labels;
    final ByteBuffer previous;
    final TemporalCrf temporal; // null: no CRF, or a fixed cold run
    final DenseCrf cold; // cold runs and plain reuse
    final int coldIterations;
    final boolean reuse;
    FloatBuffer q;
    double flickerSum;
    double stillFlickerSum;
    int flickerFrames;
    double agreementSum;
    double objectIouSum;
    int objectFrames;
    double millis;
    int warmFrames;
    final long[][] confusion = new long[21][21];
    double truthObjectIouSum;
    int truthObjectFrames;

    Mode(String name, int pixels, TemporalCrf temporal, DenseCrf cold, int coldIterations, boolean reuse) {
      this.name = name;
      this.labels = ByteBuffer.allocateDirect(pixels);
      this.previous = ByteBuffer.allocateDirect(pixels);
      this.temporal = temporal;
      this.cold = cold;
      this.coldIterations = coldIterations;
      this.reuse = reuse;
    }
  }

  private int videoReport(PrintWriter out, CrfParams params) throws IOException, ModelException {
    if (!Files.isRegularFile(video)) {
      throw new NoSuchFileException(video.toString(), null, "clip not found");
    }
    if (frames < 2) {
      throw new IllegalArgumentException("--frames must be >= 2, got " + frames);
    }
    List<Mode> modes = new ArrayList<>();
    try (FfmpegSource source = new FfmpegSource(video);
        DeepLabModel deeplab = DeepLabModel.load(model)) {
      VideoInfo info = source.open();
      int fw = info.width();
      int fh = info.height();
      int w = fw;
      int h = fh;
      if (size != null) {
        String[] wh = size.split("x");
        if (wh.length != 2) {
          throw new IllegalArgumentException("--size must be WxH, got " + size);
        }
        w = Integer.parseInt(wh[0]);
        h = Integer.parseInt(wh[1]);
      }
      int n = w * h;
      List<Path> truthMasks = truth == null ? null : truthMasks(truth, w, h, fw, fh, skip + frames);
      WarmGate gate = WarmGate.DEFAULT;
      if (warmGate != null) {
        if (warmGate.length != 3 && warmGate.length != 5 && warmGate.length != 6) {
          throw new IllegalArgumentException(
              "--warm-gate takes DIST,KEEP,RADIUS[,TW,TSRGB[,MOTION]], got " + Arrays.toString(warmGate));
        }
        gate = new WarmGate(warmGate[0], warmGate[1], (int) warmGate[2],
            warmGate.length >= 5 ? warmGate[3] : gate.temporalWeight(),
            warmGate.length >= 5 ? warmGate[4] : gate.temporalSrgb(),
            warmGate.length == 6 ? (int) warmGate[5] : gate.motionRange());
      }
      TemporalCrfConfig base = TemporalCrfConfig.defaults().withParams(params).withThreads(threads).withGate(gate);
      try (Segmenter segmenter = deeplab.segmenter(fw, fh, w, h, false)) {
        modes.add(new Mode("no CRF", n, null, null, 0, false));
        modes.add(new Mode("cold 5", n, null, DenseCrf.open(params, Backend.AUTO, threads), 5, false));
        modes.add(new Mode("cold 10 (reference)", n, null, DenseCrf.open(params, Backend.AUTO, threads), 10, false));
        modes.add(new Mode("warm 1", n, new TemporalCrf(base.withIterations(5, 1)), null, 0, false));
        modes.add(new Mode("warm 2", n, new TemporalCrf(base.withIterations(5, 2)), null, 0, false));
        modes.add(new Mode("warm 1, no dilation (radius 0)", n, new TemporalCrf(base.withIterations(5, 1)
            .withGate(gate.withRadius(0))), null, 0, false));
        if (gate.motionRange() > 0) {
          modes.add(new Mode("warm 1, still camera (motion 0)", n, new TemporalCrf(base.withIterations(5, 1)
              .withGate(gate.withMotionRange(0))), null, 0, false));
        }
        if (temporalWeights != null) {
          for (double tw : temporalWeights) {
            WarmGate g = gate.withTemporal(tw, gate.temporalSrgb());
            String label = "temporal " + CrfKernelFlags.num(tw);
            modes.add(new Mode("warm 1, " + label, n, new TemporalCrf(base.withIterations(5, 1).withGate(g)), null,
                0, false));
            modes.add(new Mode("warm 2, " + label, n, new TemporalCrf(base.withIterations(5, 2).withGate(g)), null,
                0, false));
          }
        }
        modes.add(new Mode("plain reuse of Q, 1 iteration", n, null, DenseCrf.open(params, Backend.AUTO, threads), 1,
            true));
        out.printf(Locale.ROOT, "clip: %s, %dx%d, CRF at %dx%d, frames %d..%d, %s%n", video.getFileName(), fw, fh,
            w, h, skip, skip + frames - 1, modes.get(1).cold.backendName());
        out.printf(Locale.ROOT, "params: gaussian %s,%s bilateral %s,%s,%s; warm gate %s%n", CrfKernelFlags.num(params.gaussianSxy()),
            CrfKernelFlags.num(params.gaussianWeight()), CrfKernelFlags.num(params.bilateralSxy()), CrfKernelFlags.num(params.bilateralSrgb()),
            CrfKernelFlags.num(params.bilateralWeight()), gate);
        VideoFrame frame = new VideoFrame(fw, fh);
        ByteBuffer previousRgb = ByteBuffer.allocateDirect(n * 3);
        byte[] still = new byte[n];
        byte[] truthLabels = null;
        byte[] truthPrevious = null;
        double truthFlickerSum = 0;
        FloatBuffer probabilities = floats(n * 21);
        ByteBuffer small = ByteBuffer.allocateDirect(n * 3);
        int read = 0;
        int used = 0;
        int sceneResets = 0;
        Map<CameraShift, Integer> shifts = new TreeMap<>(
            Comparator.comparingInt(CameraShift::dy).thenComparingInt(CameraShift::dx));
        while (used < frames && source.read(frame)) {
          if (read++ < skip) {
            continue;
          }
          segmenter.segment(frame.rgb(), probabilities, null);
          softmaxInPlace(probabilities, n, 21);
          ByteBuffer rgb = w == fw && h == fh ? frame.rgb() : resize(frame.rgb(), fw, fh, small, w, h);
          for (Mode m : modes) {
            run(m, rgb, w, h, probabilities, n);
          }
          if (modes.get(3).temporal.lastResetReason() != null && used > 0) {
            sceneResets++;
            out.printf(Locale.ROOT, "frame %d: cold start (%s)%n", skip + used, modes.get(3).temporal.lastResetReason());
          }
          if (modes.get(3).temporal.lastWasWarm()) {
            shifts.merge(modes.get(3).temporal.lastCameraShift(), 1, Integer::sum);
          }
          ByteBuffer reference = modes.get(2).labels;
          stillPixels(rgb, previousRgb, n, stillThreshold, still);
          for (Mode m : modes) {
            score(m, reference, still, n, used > 0);
          }
          if (truthMasks != null) {
            truthLabels = readMask(truthMasks.get(skip + used), w, h);
            if (truthPrevious != null) {
              truthFlickerSum += changedFraction(truthLabels, truthPrevious);
            }
            for (Mode m : modes) {
              scoreTruth(m, truthLabels);
            }
            truthPrevious = truthLabels;
          }
          previousRgb.clear();
          previousRgb.put(rgb.duplicate().position(0).limit(n * 3));
          used++;
        }
        out.printf(Locale.ROOT, "frames: %d, scene-cut resets after the first: %d%n", used, sceneResets);
        StringBuilder followed = new StringBuilder();
        shifts.forEach((s, count) -> followed.append(String.format(Locale.ROOT, " (%d,%d) x%d", s.dx(), s.dy(), count)));
        out.printf(Locale.ROOT, "camera shifts (dx,dy) the warm start followed, frames:%s%n", followed);
        if (truthMasks != null) {
          out.printf(Locale.ROOT, "truth: flicker %.2f%% (the motion floor: label changes the truth itself has)%n",
              100 * truthFlickerSum / Math.max(1, used - 1));
        }
        out.printf(Locale.ROOT, "%-38s %9s %9s %10s %12s %14s %10s %6s%n", "mode", "flicker", "on still",
            "on moving", "agree c10", "IoU(" + VOC_CLASSES[object] + ")", "crf ms", "warm");
        for (Mode m : modes) {
          double frames = Math.max(1, m.flickerFrames);
          out.printf(Locale.ROOT, "%-38s %8.2f%% %8.2f%% %9.2f%% %11.2f%% %14s %10.1f %6d%n", m.name,
              100 * m.flickerSum / frames, 100 * m.stillFlickerSum / frames,
              100 * (m.flickerSum - m.stillFlickerSum) / frames, 100 * m.agreementSum / used,
              m.objectFrames == 0 ? "-" : String.format(Locale.ROOT, "%.3f", m.objectIouSum / m.objectFrames),
              m.millis / used, m.warmFrames);
        }
        if (truthMasks != null) {
          out.printf(Locale.ROOT, "%-38s %12s %20s%n", "against the truth", "mIoU", "IoU(" + VOC_CLASSES[object] + ")");
          for (Mode m : modes) {
            out.printf(Locale.ROOT, "%-38s %12.4f %20s%n", m.name, meanIou(m.confusion),
                m.truthObjectFrames == 0 ? "-"
                    : String.format(Locale.ROOT, "%.4f", m.truthObjectIouSum / m.truthObjectFrames));
          }
        }
      }
    } finally {
      for (Mode m : modes) {
        if (m.temporal != null) {
          m.temporal.close();
        }
        if (m.cold != null) {
          m.cold.close();
        }
      }
    }
    return ExitCodes.OK;
  }

  private static void run(Mode m, ByteBuffer rgb, int w, int h, FloatBuffer probabilities, int n) {
    long t0 = System.nanoTime();
    if (m.temporal != null) {
      m.temporal.process(rgb, w, h, probabilities, 21, m.labels);
      if (m.temporal.lastWasWarm()) {
        m.warmFrames++;
      }
    } else if (m.cold != null && m.reuse) {
      boolean first = m.q == null;
      if (first) {
        m.q = floats(n * 21);
      }
      m.cold.infer(rgb, w, h, 21, probabilities, ScoreKind.PROBABILITIES, m.q, first ? Start.COLD : Start.FROM_Q,
          first ? 5 : m.coldIterations, m.labels, null);
      if (!first) {
        m.warmFrames++;
      }
    } else if (m.cold != null) {
      m.cold.infer(rgb, w, h, 21, probabilities, ScoreKind.PROBABILITIES, null, Start.COLD, m.coldIterations,
          m.labels, null);
    } else {
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int c = 1; c < 21; c++) {
          if (probabilities.get(i * 21 + c) > probabilities.get(i * 21 + best)) {
            best = c;
          }
        }
        m.labels.put(i, (byte) best);
      }
    }
    m.millis += (System.nanoTime() - t0) / 1e6;
  }

  /** The per-frame truth masks of --truth: PNGs in name order, at least {@code needed}, at the CRF size. */
  private static List<Path> truthMasks(Path dir, int w, int h, int fw, int fh, int needed) throws IOException {
    if (w != fw || h != fh) {
      throw new IllegalArgumentException("--truth needs the CRF at the frame size " + fw + "x" + fh + ", --size is "
          + w + "x" + h);
    }
    List<Path> masks = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.toString().endsWith(".png")).sorted().forEach(masks::add);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(dir.toString(), null, "truth folder not found");
    }
    if (masks.size() < needed) {
      throw new IOException(dir + ": " + masks.size() + " truth masks, frames up to " + needed + " need one each");
    }
    return masks;
  }

  /** Fraction of the pixels labelled in both masks (not void) whose label differs. */
  private static double changedFraction(byte[] a, byte[] b) {
    long both = 0;
    long changed = 0;
    for (int i = 0; i < a.length; i++) {
      if ((a[i] & 0xff) < 21 && (b[i] & 0xff) < 21) {
        both++;
        if (a[i] != b[i]) {
          changed++;
        }
      }
    }
    return both == 0 ? 0 : changed / (double) both;
  }

  private void scoreTruth(Mode m, byte[] truthLabels) {
    long[][] own = new long[21][21];
    accumulate(own, truthLabels, m.labels);
    add(m.confusion, own);
    double v = iou(own, object);
    if (!Double.isNaN(v)) {
      m.truthObjectIouSum += v;
      m.truthObjectFrames++;
    }
  }

  /** still[i] = 1 where no channel of pixel i changed by more than {@code threshold} since the previous frame. */
  private static void stillPixels(ByteBuffer rgb, ByteBuffer previous, int n, int threshold, byte[] still) {
    for (int i = 0; i < n; i++) {
      boolean s = true;
      for (int c = 0; c < 3 && s; c++) {
        int a = rgb.get(i * 3 + c) & 0xff;
        int b = previous.get(i * 3 + c) & 0xff;
        s = Math.abs(a - b) <= threshold;
      }
      still[i] = (byte) (s ? 1 : 0);
    }
  }

  private void score(Mode m, ByteBuffer reference, byte[] still, int n, boolean hasPrevious) {
    int changed = 0;
    int changedStill = 0;
    int agree = 0;
    int inter = 0;
    int union = 0;
    for (int i = 0; i < n; i++) {
      byte l = m.labels.get(i);
      if (hasPrevious && l != m.previous.get(i)) {
        changed++;
        changedStill += still[i];
      }
      byte r = reference.get(i);
      if (l == r) {
        agree++;
      }
      boolean a = l == object;
      boolean b = r == object;
      if (a && b) {
        inter++;
      }
      if (a || b) {
        union++;
      }
    }
    if (hasPrevious) {
      m.flickerSum += changed / (double) n;
      m.stillFlickerSum += changedStill / (double) n;
      m.flickerFrames++;
    }
    m.agreementSum += agree / (double) n;
    if (union > 0) {
      m.objectIouSum += inter / (double) union;
      m.objectFrames++;
    }
    for (int i = 0; i < n; i++) {
      m.previous.put(i, m.labels.get(i));
    }
  }

  // ---------------------------------------------------------------- helpers

  private record Rgb(int width, int height, ByteBuffer pixels) {}

  private static Rgb readRgb(Path file) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException(file + ": not a readable JPEG or PNG image");
    }
    int w = img.getWidth();
    int h = img.getHeight();
    ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        rgb.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p);
      }
    }
    return new Rgb(w, h, rgb.flip());
  }

  private static byte[] readMask(Path file, int width, int height) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException(file + ": not a readable PNG mask");
    }
    if (img.getWidth() != width || img.getHeight() != height) {
      throw new IOException(file + ": mask is " + img.getWidth() + "x" + img.getHeight() + ", image is " + width
          + "x" + height);
    }
    if (img.getRaster().getNumBands() != 1) {
      throw new IOException(file + ": mask must be a palette or grey PNG holding class ids, has "
          + img.getRaster().getNumBands() + " bands");
    }
    byte[] out = new byte[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out[y * width + x] = (byte) img.getRaster().getSample(x, y, 0);
      }
    }
    return out;
  }

  static void softmaxInPlace(FloatBuffer scores, int pixels, int classes) {
    for (int i = 0; i < pixels; i++) {
      int o = i * classes;
      float max = scores.get(o);
      for (int c = 1; c < classes; c++) {
        max = Math.max(max, scores.get(o + c));
      }
      float sum = 0;
      for (int c = 0; c < classes; c++) {
        float e = (float) Math.exp(scores.get(o + c) - max);
        scores.put(o + c, e);
        sum += e;
      }
      for (int c = 0; c < classes; c++) {
        scores.put(o + c, scores.get(o + c) / sum);
      }
    }
  }

  /** Area-average (box) resize of RGB24, for a CRF resolution below the frame's. */
  private static ByteBuffer resize(ByteBuffer src, int sw, int sh, ByteBuffer dst, int dw, int dh) {
    for (int y = 0; y < dh; y++) {
      int y0 = y * sh / dh;
      int y1 = Math.max(y0 + 1, (y + 1) * sh / dh);
      for (int x = 0; x < dw; x++) {
        int x0 = x * sw / dw;
        int x1 = Math.max(x0 + 1, (x + 1) * sw / dw);
        int r = 0;
        int g = 0;
        int b = 0;
        for (int yy = y0; yy < y1; yy++) {
          for (int xx = x0; xx < x1; xx++) {
            int i = (yy * sw + xx) * 3;
            r += src.get(i) & 0xff;
            g += src.get(i + 1) & 0xff;
            b += src.get(i + 2) & 0xff;
          }
        }
        int k = (y1 - y0) * (x1 - x0);
        int o = (y * dw + x) * 3;
        dst.put(o, (byte) ((r + k / 2) / k)).put(o + 1, (byte) ((g + k / 2) / k)).put(o + 2, (byte) ((b + k / 2) / k));
      }
    }
    return dst;
  }

  private static FloatBuffer floats(int n) {
    return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private CrfParams params() {
    return CrfKernelFlags.apply(CrfParams.pipelineDefault(), gaussian, bilateral);
  }


}
