#!/usr/bin/env bash
# What the cookie jar and redirect handling cost a static request (issue 12
# point 6): whole-process CPU (user + sys of `novaload run`, all threads) per
# request, for a static GET answered 200 without Set-Cookie, with
# http.cookies on (the default) and off, and against another checkout's
# build (BASE, e.g. /work/main: today's path). Variants alternate within each
# round; medians over the rounds are printed. The target is the bench's
# `fast` server on loopback, pinned to core 0 when taskset exists (novaload
# to core 1).
#   bench/cookie-cost.sh [ROUNDS=5] [SECONDS=5] [VUS=10]   (BASE=/path/to/checkout)
set -euo pipefail
ROUNDS=${1:-5}
SECS=${2:-5}
VUS=${3:-10}
HERE=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-}
pin() { if command -v taskset >/dev/null; then exec taskset -c "$1" "${@:2}"; else exec "${@:2}"; fi; }
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
(pin 0 node "$HERE/bench/dist/targets/server.js" fast >"$dir/port" </dev/null) &
server=$!
for _ in $(seq 50); do [ -s "$dir/port" ] && break; sleep 0.1; done
port=$(jq -r .port "$dir/port")
scenario() { # $1 file, $2 extra http fields
  printf '{"target":"http://127.0.0.1:%s","executor":"constant-vus","vus":%s,"duration":"%ss","gracefulStop":"5s","http":{%s},"requests":[{"path":"/"}]}' "$port" "$VUS" "$SECS" "$2" >"$1"
}
scenario "$dir/on.json" ''
scenario "$dir/off.json" '"cookies":false'
variants=(on off)
[ -n "$BASE" ] && variants+=(base)
# One run: prints CPU µs per request.
measure() { # $1 variant
  local bin="$HERE/packages/controller/bin/novaload.js" file="$dir/$1.json"
  [ "$1" = base ] && bin="$BASE/packages/controller/bin/novaload.js" && file="$dir/on.json"
  rm -f "$dir/r.json"
  (pin 1 /usr/bin/time -f '%U %S' -o "$dir/cpu" node "$bin" run "$file" --threads 1 --quiet --out "$dir/r.json" >/dev/null)
  local requests
  requests=$(jq -e .totals.requests "$dir/r.json")
  tail -1 "$dir/cpu" | awk -v r="$requests" '{ printf "%.2f\n", ($1 + $2) * 1e6 / r }'
}
declare -A results
for round in $(seq "$ROUNDS"); do
  order=("${variants[@]}")
  ((round % 2 == 0)) && order=($(printf '%s\n' "${variants[@]}" | tac))
  for v in "${order[@]}"; do
    value=$(measure "$v")
    results[$v]+="$value "
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for v in "${variants[@]}"; do
  # shellcheck disable=SC2086
  printf '%-4s CPU µs/request: median %s of %s\n' "$v" "$(printf '%s\n' ${results[$v]} | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}')" "${results[$v]}"
done
