#!/usr/bin/env bash
# Runs every cargo-fuzz target for FUZZ_SECONDS (default 60) each, starting from the
# committed seeds (fuzz/seeds/<target>) and any recorded crashes (fuzz/regressions/<target>).
# New inputs go to fuzz/corpus/ (not committed). A crash fails the run; libFuzzer leaves the
# input in fuzz/artifacts/<target>/: copy it to fuzz/regressions/<target>/ with the fix.
# Installs cargo-fuzz when missing. Uses the nightly toolchain when the machine has one,
# else the stable one with RUSTC_BOOTSTRAP=1 (its sanitizer runtimes ship with rust-std).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${FUZZ_SECONDS:-60}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
if rustup run nightly rustc --version >/dev/null 2>&1; then
    fuzz=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi
targets=$("${fuzz[@]}" list)
"${fuzz[@]}" build --release $targets >/dev/null 2>&1 || "${fuzz[@]}" build --release
for t in $targets; do
    mkdir -p "corpus/$t" "regressions/$t"
    echo "== fuzz $t for ${seconds}s"
    "${fuzz[@]}" run --release "$t" "corpus/$t" "seeds/$t" "regressions/$t" -- -max_total_time="$seconds" -print_final_stats=1 2>&1 \
        | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|thread '|panicked)" || true
    # grep's status is not the verdict: the pipeline's is (pipefail) through cargo fuzz.
done
echo "fuzzing: no crash in $(echo "$targets" | wc -w) targets"
