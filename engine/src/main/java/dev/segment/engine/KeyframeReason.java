package dev.segment.engine;

/** Why a frame is (or is not) a keyframe (the model ran or was asked for), or why not; its label is what statistics and metrics show. */
public enum KeyframeReason {
    ALL("all"),
    START("start"),
    RESTART("restart"),
    SIZE("size"),
    CUT("cut"),
    INTERVAL("interval"),
    RESIDUAL("residual"),
    UNCERTAIN("uncertain"),
    CHANGE("change"),
    CARRIED("carried");

    private final String label;

    KeyframeReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean keyframe() {
        return this != CARRIED;
    }
}
