#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each (default 60), one after another, and
# prints one line per target: runs, crashes, and coverage reached.
#
#   fuzz/run-all.sh 60            # a minute each
#   fuzz/run-all.sh 600 decode_locations
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain, RUSTC_BOOTSTRAP=1
# lets cargo-fuzz pass its -Z flags; the sanitizer is off (the crates forbid unsafe code,
# so what is looked for is panics, aborts, timeouts and runaway memory).
set -u
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(RUSTC_BOOTSTRAP=1 cargo fuzz list)
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build --sanitizer none -O >/dev/null 2>&1 || { echo "build failed"; exit 1; }
mkdir -p logs
status=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "seeds/$target"
    cargo fuzz run --sanitizer none -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        >"logs/$target.log" 2>&1
    code=$?
    runs=$(grep -o 'Done [0-9]* runs' "logs/$target.log" | grep -o '[0-9]*' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "logs/$target.log" | tail -1 | grep -o '[0-9]*' || echo "?")
    crashes=$(ls "artifacts/$target" 2>/dev/null | wc -l)
    echo "$target: ${runs} runs in ${seconds}s, coverage ${cov}, exit ${code}, ${crashes} crash artifacts"
    [ "$code" -ne 0 ] && status=1
done
exit $status
