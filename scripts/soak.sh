#!/bin/sh
# make soak: the call screen on the demo clinic at 10000x speed, headless at 1920x1080, until
# SOAK_CALLS calls (default 100000, about 20 minutes) have been made. Every 1000 calls it
# records the kiosk's resident memory and open file descriptors (/proc/PID), then reports the
# RSS slope (least squares, KB per 1000 calls, after the warm-up, with its standard error) and
# fails when the number of descriptors changed or the slope is above SOAK_MAX_SLOPE KB per 1000
# calls (default 20, i.e. 2 MB over 100,000 calls: glibc's heap alone swings RSS by +-4 MB).
# The calls are counted from the status file: the demo numbers its calls (c000001 or, with its
# start time, c<start>-000001).
# Figures go in docs/reliability.md by hand; the samples are kept in out/soak.csv.
set -eu
bin=${1:-build/kiosk}
cd "$(dirname "$0")/.."
calls=${SOAK_CALLS:-100000}
every=${SOAK_EVERY:-1000}
warmup=${SOAK_WARMUP:-10000}
max_slope=${SOAK_MAX_SLOPE:-20}
csv=${SOAK_CSV:-out/soak.csv}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$(dirname "$csv")"
[ "$warmup" -lt "$calls" ] || warmup=0

export SDL_AUDIODRIVER=dummy
"$bin" --headless --config assets/demo.ini --set storage.path="$work/soak.db" \
    --set backend.speed=10000 --status-file "$work/status.json" 2>"$work/kiosk.log" &
pid=$!
echo "soak: $("$bin" --version), pid $pid, $calls calls, a sample every $every"

# The newest call's number in the status file (0 while there is none).
made() {
    sed -n 's/.*"id":[[:space:]]*"c\([0-9]*-\)\{0,1\}0*\([0-9][0-9]*\)".*/\2/p' "$work/status.json" 2>/dev/null |
        sort -n | tail -n 1
}

# Open descriptors, the least of three looks 50 ms apart: the status file's .tmp or SQLite's
# journal is open for a moment many times a second, a leaked descriptor stays.
open_fds() {
    least=
    for _ in 1 2 3; do
        n=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 | wc -l)
        [ -z "$least" ] || [ "$n" -lt "$least" ] && least=$n
        sleep 0.05
    done
    echo "$least"
}

start=$(date +%s)
next=$every
echo "calls,seconds,rss_kb,fds" >"$csv"
while :; do
    kill -0 "$pid" 2>/dev/null || {
        echo "soak: the kiosk died" >&2
        tail -n 20 "$work/kiosk.log" >&2
        exit 1
    }
    n=$(made)
    n=${n:-0}
    if [ "$n" -ge "$next" ]; then
        rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
        fds=$(open_fds)
        echo "$n,$(($(date +%s) - start)),$rss,$fds" >>"$csv"
        [ $((next % (every * 10))) -eq 0 ] && echo "soak: $n calls, RSS $rss KB, $fds fds"
        next=$((next + every))
        [ "$n" -ge "$calls" ] && break
    fi
    sleep 0.2
done
kill "$pid"
wait "$pid" || {
    echo "soak: the kiosk did not exit cleanly on SIGTERM" >&2
    exit 1
}
pid=

awk -F, -v warmup="$warmup" -v max_slope="$max_slope" -v secs="$(($(date +%s) - start))" '
NR == 1 { next }
$1 > warmup {
    n++; sx += $1; sy += $3; sxx += $1 * $1; sxy += $1 * $3; x[n] = $1; y[n] = $3
    if (n == 1 || $4 < fmin) fmin = $4
    if (n == 1 || $4 > fmax) fmax = $4
    if (n == 1) first = $3
    last = $3
}
{ if (NR == 2 || $3 > peak) peak = $3; total = $1 }
END {
    b = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    a = (sy - b * sx) / n
    for (i = 1; i <= n; i++) { r = y[i] - a - b * x[i]; ss += r * r; dx += (x[i] - sx / n) ^ 2 }
    se = n > 2 ? sqrt(ss / (n - 2) / dx) * 1000 : 0
    slope = b * 1000
    printf "soak: %d calls in %d s; after the first %d: RSS %d -> %d KB (peak %d KB), " \
           "slope %.2f +- %.2f KB per 1000 calls over %d samples\n", total, secs, warmup, first,
           last, peak, slope, se, n
    printf "soak: open file descriptors %d..%d\n", fmin, fmax
    bad = 0
    if (fmin != fmax) { print "soak: FAIL: the number of open file descriptors changed"; bad = 1 }
    if (slope > max_slope) {
        printf "soak: FAIL: RSS grows faster than %s KB per 1000 calls\n", max_slope; bad = 1
    }
    exit bad
}' "$csv"
