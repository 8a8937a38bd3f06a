#!/bin/sh
# Runs a build step with its output in a log file: quiet when it works, the whole log on stderr when it fails.
# Usage: run-logged.sh LOG COMMAND [ARG...]   (Maven's crf-native build drives CMake through it)
log="$1"
shift
mkdir -p "$(dirname "$log")"
if "$@" >"$log" 2>&1; then
  exit 0
else
  status=$?
  cat "$log" >&2
  echo "crf-native: '$1' failed with exit code $status (log: $log)" >&2
  exit "$status"
fi
