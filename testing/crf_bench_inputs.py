#!/usr/bin/env python3
"""Inputs for the `segment crf` speed table (crf-native/README.md) from ../shared/data/crf, standard library only.

    testing/crf_bench_inputs.py OUTDIR [CRF_FIXTURES_DIR]

Writes OUTDIR/im1_640x480_C21.prob.f32 and OUTDIR/im1_1280x720_C21.prob.f32: probabilities float32 [C][H][W] by the
fixtures' rule (annotated class 0.7, every other class 0.3/(C-1), unknown pixels 1/C) from im1_320x240.anno.u8
(pydensecrf's encoding: 0 unknown, k = class k-1) scaled nearest-neighbour to the size. The 640x480 image is a
fixture; the 1280x720 one is made by FFmpeg's default scaler:
    ffmpeg -i ../shared/data/crf/im1.png -vf scale=1280:720 -vcodec ppm OUTDIR/im1_1280x720.ppm
"""
import array
import os
import sys

C = 21


def nearest(src, sw, sh, dw, dh, channels):
    out = bytearray(dw * dh * channels)
    for y in range(dh):
        sy = y * sh // dh
        for x in range(dw):
            s = (sy * sw + x * sw // dw) * channels
            d = (y * dw + x) * channels
            out[d:d + channels] = src[s:s + channels]
    return out


def probabilities(anno, n):
    other = 0.3 / (C - 1)
    planes = []
    for c in range(C):
        plane = array.array("f", [0.0]) * n
        for i, a in enumerate(anno):
            plane[i] = 1.0 / C if a == 0 else (0.7 if a == c + 1 else other)
        planes.append(plane)
    out = array.array("f")
    for plane in planes:
        out.extend(plane)
    if sys.byteorder != "little":
        out.byteswap()
    return out


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    parts = data.split(maxsplit=4)
    if parts[0] != b"P6" or parts[3] != b"255":
        raise SystemExit(f"{path}: not a binary 8-bit PPM")
    return int(parts[1]), int(parts[2]), parts[4]


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    out = sys.argv[1]
    fixtures = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "../../shared/data/crf")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(fixtures, "im1_320x240.anno.u8"), "rb") as f:
        anno = f.read()
    w, h, _ = read_ppm(os.path.join(fixtures, "im1_320x240.ppm"))
    for dw, dh in ((640, 480), (1280, 720)):
        probs = probabilities(nearest(anno, w, h, dw, dh, 1), dw * dh)
        with open(os.path.join(out, f"im1_{dw}x{dh}_C{C}.prob.f32"), "wb") as f:
            probs.tofile(f)
    print(f"wrote the 640x480 and 1280x720 probabilities to {out}")


if __name__ == "__main__":
    main()
