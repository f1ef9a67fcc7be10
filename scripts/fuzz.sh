#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-DAGENT_CONSOLE_FUZZ=ON: ASan + UBSan + coverage) and runs
# each for a bounded time. For CI and for a longer local session:
#
#   scripts/fuzz.sh [seconds per target, default 60] [build dir, default build-fuzz]
#   FUZZ_TARGETS=decoder scripts/fuzz.sh 1800     # one target for longer
#
# New interesting inputs collect in <build>/fuzz-corpus/<target> (kept between runs, never in the
# source tree); a crash leaves <build>/fuzz-artifacts/<target>/crash-* and makes the script fail.
# Reproduce one with: <build>/tests/fuzz_<target> <crash file>
set -euo pipefail

seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build-fuzz}
read -ra targets <<<"${FUZZ_TARGETS:-frames rest fold image decoder}"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DAGENT_CONSOLE_FUZZ=ON -DAGENT_CONSOLE_BENCH=OFF >/dev/null
cmake --build "$build" --target "${targets[@]/#/fuzz_}"

status=0
for target in "${targets[@]}"; do
    corpus=$build/fuzz-corpus/$target
    artifacts=$build/fuzz-artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    seeds=("$root/tests/fuzz/corpus/$target")
    # fuzz_decoder compares two decoders of frames and REST bodies: both corpora seed it.
    [[ $target == decoder ]] && seeds+=("$root/tests/fuzz/corpus/frames" "$root/tests/fuzz/corpus/rest")
    echo "== fuzz_$target for ${seconds}s"
    # The scratch corpus comes first: libFuzzer writes new inputs to the first folder only.
    # A fixed seed: a CI failure can be replayed with the same command; new seeds come from the corpus.
    if ! "$build/tests/fuzz_$target" -seed=1 -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
        -dict="$root/tests/fuzz/$target.dict" -artifact_prefix="$artifacts/" \
        "$corpus" "${seeds[@]}" 2>"$build/fuzz-$target.log"; then
        status=1
        echo "fuzz_$target FAILED: see $build/fuzz-$target.log and $artifacts/"
        grep -E "invariant broken|ERROR|runtime error|SUMMARY" "$build/fuzz-$target.log" | head -5 || true
    fi
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$build/fuzz-$target.log" || true
done
exit $status
