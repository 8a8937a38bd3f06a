package dev.segment.codecs.preview;

import dev.segment.codecs.VocPalette;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import javax.swing.JPanel;

/**
 * Paints the newest overlay scaled to fit, a legend of the classes present (palette swatch + name) on the right and
 * the current frames per second. State is handed over by {@link #show} from the sink's thread; painting happens on
 * the Swing event thread.
 */
final class PreviewPanel extends JPanel {
    static final int LEGEND_WIDTH = 170;

    private final Object lock = new Object();
    private BufferedImage image;
    private int[] classes = new int[0];
    private double fps;

    PreviewPanel(int width, int height) {
        setBackground(Color.BLACK);
        setPreferredSize(new Dimension(width + LEGEND_WIDTH, Math.max(height, 240)));
    }

    /** Hands over a frame image (the panel keeps it until the next call) and what to write next to it. */
    void show(BufferedImage frame, int[] presentClasses, double framesPerSecond) {
        synchronized (lock) {
            image = frame;
            classes = presentClasses;
            fps = framesPerSecond;
        }
        repaint();
    }

    @Override
    protected void paintComponent(Graphics g) {
        super.paintComponent(g);
        BufferedImage img;
        int[] present;
        double rate;
        synchronized (lock) {
            img = image;
            present = classes;
            rate = fps;
        }
        Graphics2D g2 = (Graphics2D) g;
        g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int areaW = Math.max(1, getWidth() - LEGEND_WIDTH);
        int areaH = Math.max(1, getHeight());
        if (img != null) {
            synchronized (img) {
                double scale = Math.min((double) areaW / img.getWidth(), (double) areaH / img.getHeight());
                int w = (int) Math.round(img.getWidth() * scale);
                int h = (int) Math.round(img.getHeight() * scale);
                g2.drawImage(img, (areaW - w) / 2, (areaH - h) / 2, w, h, null);
            }
        }
        int x = areaW + 10;
        g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g2.setColor(Color.WHITE);
        g2.drawString(String.format("%.1f fps", rate), x, 22);
        g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int y = 44;
        for (int id : present) {
            g2.setColor(new Color(VocPalette.rgb(id)));
            g2.fillRect(x, y, 22, 16);
            g2.setColor(Color.LIGHT_GRAY);
            g2.drawRect(x, y, 22, 16);
            g2.setColor(Color.WHITE);
            g2.drawString(VocPalette.className(id), x + 30, y + 13);
            y += 22;
        }
    }
}
