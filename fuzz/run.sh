#!/usr/bin/env bash
# Runs the libFuzzer harnesses of jacobi-fuzz (built by `make fuzz`) for SECONDS each.
#
#   fuzz/run.sh SECONDS [TARGET...]     targets: lang npy npz safetensors csv pt (default: all)
#
# Seeds: sessions/*.jac, the conformance scripts and the tests' programs for `lang`; the file
# fixtures of each format for the readers. The growing corpus is kept in .build-fuzz/corpus/TARGET
# (so later runs go on from it), crashes in .build-fuzz/crashes/. Prints one summary line per
# target (executions, coverage, corpus, crashes) and exits 1 if any target crashed. Leak
# detection is off: Python-level reference cycles (`l.append(l)`) are legitimate leaks under ARC;
# the interpreter's own cycles are broken after every input (`Interpreter.dismantle`), and the RSS
# limit still catches growth.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=(lang npy npz safetensors csv pt)
bin=.build-fuzz/debug/jacobi-fuzz
[ -x "$bin" ] || { echo "fuzz/run.sh: $bin is missing; run make fuzz"; exit 2; }
mkdir -p .build-fuzz/crashes
status=0
for t in "${targets[@]}"; do
  # Absolute paths: the lang harness works inside its sandbox folder.
  corpus=$PWD/.build-fuzz/corpus/$t seeds=$PWD/.build-fuzz/seeds/$t
  mkdir -p "$corpus" "$seeds"
  case $t in
    lang) cp sessions/*.jac Tests/Conformance/*.py "$seeds"/ ;;
    csv) cp Tests/TensorTests/Fixtures/files/*.csv Tests/TensorTests/Fixtures/files/*.txt "$seeds"/ ;;
    pt) cp Tests/TensorTests/Fixtures/files/*.pt sessions/data/*.pt "$seeds"/ 2>/dev/null ;;
    *) cp Tests/TensorTests/Fixtures/files/*."$t" sessions/data/*."$t" "$seeds"/ 2>/dev/null ;;
  esac
  log=.build-fuzz/$t.log
  ASAN_OPTIONS=detect_leaks=0 JACOBI_FUZZ_TARGET=$t "$bin" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 \
    -max_len=8192 -print_final_stats=1 -detect_leaks=0 -artifact_prefix=$PWD/.build-fuzz/crashes/$t- >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  size=$(ls "$corpus" | wc -l)
  crashes=$(ls .build-fuzz/crashes | grep -c "^$t-" || true)
  echo "fuzz $t: ${seconds}s, executions ${execs:-?}, coverage ${cov:-?} edges, corpus $size inputs, crashes $crashes (exit $rc, log $log)"
  if [ $rc -ne 0 ]; then status=1; grep -m3 -E "ERROR|Fatal error|SUMMARY" "$log"; fi
done
exit $status
