#!/bin/bash
# The two joined clips the README's speed and live figures use, made from ../shared with FFmpeg alone.
#   testing/join_clips.sh OUTDIR
# OUTDIR/davis-joined.mkv: the three DAVIS clips (car-roundabout, breakdance, dance-twirl) one after the other, their
#   MJPEG frames copied as they are: 249 frames, 854x480, 24 fps, moving cameras, two scene cuts.
# OUTDIR/intel900.mp4: the first 300 frames of each intel clip (bottle, car, people), scaled to 768x432, 25 fps, H.264:
#   still cameras, two scene cuts.
set -euo pipefail
if [ $# -ne 1 ]; then
  sed -n 2,8p "$0" >&2
  exit 2
fi
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)/../shared/data
mkdir -p "$out"
list=$(mktemp)
trap 'rm -f "$list"' EXIT
for clip in car-roundabout breakdance dance-twirl; do
  echo "file '$root/davis/$clip/video.mjpeg.mkv'" >> "$list"
done
ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$list" -c copy "$out/davis-joined.mkv"
v=$root/videos
: > "$list"
for clip in bottle-detection car-detection one-by-one-person-detection; do
  # 300 frames, each given the next 1/25 s whatever the clip's own rate, so no frame is repeated or dropped
  ffmpeg -nostdin -v error -y -i "$v/intel_$clip.mp4" -an -frames:v 300 \
    -vf "scale=768:432,setsar=1,setpts=N/(25*TB),format=yuv420p" -r 25 -c:v libx264 -crf 18 "$out/part-$clip.mp4"
  echo "file '$out/part-$clip.mp4'" >> "$list"
done
ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$list" -c copy "$out/intel900.mp4"
rm -f "$out"/part-*.mp4
echo "$out/davis-joined.mkv $out/intel900.mp4"
