#!/usr/bin/env bash
# Four cameras in one `segment serve`: the three intel clips and one DAVIS clip, each served at 25 fps by
# testing/rtsp_server.py, each analysed at 5 fps with the CRF on. Prints every camera's frames out, drops and
# capture-to-output latency from the API (per-frame statistics in the run's folder), the process's CPU and its resident memory, and how many models it loaded.
# usage: testing/serve_bench.sh [SECONDS=180] [JAR=cli/target/segment.jar]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-180}
JAR=${2:-cli/target/segment.jar}
M=../shared/models/deeplabv3_mnv2_dm05_pascal_os8_crop513.pb
OUT=$(mktemp -d /tmp/serve-bench.XXXX)
DAVIS=../shared/data/davis/car-roundabout/video.mjpeg.mkv   # a panning camera; the server loops it
CLIPS=(../shared/data/videos/intel_one-by-one-person-detection.mp4 ../shared/data/videos/intel_car-detection.mp4
       ../shared/data/videos/intel_bottle-detection.mp4 "$DAVIS")
NAMES=(people cars bottles davis)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
{
  echo "settings:"
  echo "  model: {path: $M}"
  echo "  crf: {enabled: true}"
  echo "cameras:"
} > "$OUT/serve.yaml"
for i in 0 1 2 3; do
  PORT=$((8600 + RANDOM % 300 + i * 300))
  /usr/bin/python3 testing/rtsp_server.py --port $PORT --file "${CLIPS[$i]}" --fps 25 --repeat 100 --shared \
    > "$OUT/server-$i.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 50); do grep -q READY "$OUT/server-$i.log" && break; sleep 0.2; done
  echo "  - {name: ${NAMES[$i]}, source: 'rtsp://127.0.0.1:$PORT/stream', fps: 5,\
 settings: {output: {statsFile: '$OUT/${NAMES[$i]}.jsonl'}}}" >> "$OUT/serve.yaml"
done
API=$((9300 + RANDOM % 500))
java -jar "$JAR" serve --config "$OUT/serve.yaml" --api-port $API --duration "$SECONDS_RUN" > "$OUT/serve.log" 2>&1 &
SERVE=$!
PIDS+=($SERVE)
sleep 15
curl -s "http://127.0.0.1:$API/api/cameras" > "$OUT/cameras-15s.json"
sleep $((SECONDS_RUN - 20))
curl -s "http://127.0.0.1:$API/api/cameras" > "$OUT/cameras.json"
curl -s "http://127.0.0.1:$API/healthz" > "$OUT/health.json"
curl -s "http://127.0.0.1:$API/metrics" > "$OUT/metrics.txt"
JPID=$(pgrep -f "serve --config $OUT/serve.yaml" | head -1)
CPU_TICKS=$(awk '{print $14 + $15}' /proc/$JPID/stat)
RSS_KB=$(awk '/VmRSS/ {print $2}' /proc/$JPID/status)
wait $SERVE || true
python3 - "$OUT" "$CPU_TICKS" "$(getconf CLK_TCK)" "$SECONDS_RUN" "$RSS_KB" <<'PY'
import json, sys
out = sys.argv[1]
cams = json.load(open(out + "/cameras.json"))
early = {c["name"]: c for c in json.load(open(out + "/cameras-15s.json"))}
ticks, hz, secs, rss = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])

def p99(values):
    v = sorted(values)
    return v[min(len(v) - 1, int(0.99 * len(v)))] if v else float("nan")

print(f"{'camera':8} {'out':>5} {'drop':>4} {'out %':>6} {'fps out':>7} {'p50 ms':>6} {'p99 ms':>6}"
      f" {'p99 after 10 s':>14} {'out % after 15 s':>16} {'model runs %':>12}")
for c in cams:
    n = c["framesOut"] + c["framesDropped"]
    rows = [json.loads(l) for l in open(f"{out}/{c['name']}.jsonl")]
    t0 = rows[0]["pts_ms"]
    lat = [r["latency_ms"] for r in rows]
    steady = [r["latency_ms"] for r in rows if r["pts_ms"] - t0 >= 10_000]
    e = early.get(c["name"], {"framesOut": 0, "framesDropped": 0})
    out_late, drop_late = c["framesOut"] - e["framesOut"], c["framesDropped"] - e["framesDropped"]
    print(f"{c['name']:8} {c['framesOut']:5d} {c['framesDropped']:4d} {100.0 * c['framesOut'] / max(1, n):6.1f}"
          f" {c['fpsOut']:7.2f} {sorted(lat)[len(lat) // 2]:6.0f} {p99(lat):6.0f} {p99(steady):14.0f}"
          f" {100.0 * out_late / max(1, out_late + drop_late):16.1f}"
          f" {100 * c['keyframeShare']:12.1f}")
print(f"process CPU {ticks / hz:.0f} s in {secs - 5:.0f} s = {ticks / hz / (secs - 5):.2f} cores;"
      f" RSS {rss / 1024:.0f} MiB")
PY
echo "models loaded: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["modelsLoaded"])' "$OUT/health.json") (log: $OUT/serve.log)"
