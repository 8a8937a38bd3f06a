#!/bin/bash
# The two joined clips the README's speed and live figures use, made from ../shared with FFmpeg alone.
#   testing/join_clips.sh OUTDIR
# OUTDIR/davis-joined.mkv: the three DAVIS clips (car-roundabout, breakdance, dance-twirl) one after the other, their
#   MJPEG frames copied as they are: 249 frames, 854x480, 24 fps, moving cameras, two scene cuts.
# OUTDIR/intel900.mp4: the first 300 frames of each intel clip (bottle, car, people), 768x432, 25 fps, H.264: still
#   cameras, two scene cuts.
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
ffmpeg -nostdin -v error -y -i "$v/intel_bottle-detection.mp4" -i "$v/intel_car-detection.mp4" \
  -i "$v/intel_one-by-one-person-detection.mp4" \
  -filter_complex "[0:v]trim=end_frame=300,setpts=PTS-STARTPTS[a];[1:v]trim=end_frame=300,setpts=PTS-STARTPTS[b];\
[2:v]trim=end_frame=300,setpts=PTS-STARTPTS[c];[a][b][c]concat=n=3:v=1:a=0,fps=25,format=yuv420p[v]" \
  -map "[v]" -c:v libx264 -crf 18 "$out/intel900.mp4"
echo "$out/davis-joined.mkv $out/intel900.mp4"
