#!/bin/bash
# Two builds of jacobi on one `:time` script, alternating, ROUNDS times each: per build the
# minimum and the median of the medians that `:time` prints, in microseconds.
#
#   A=/tmp/jacobi_before B=.build/release/jacobi bench/peers/ab_time.sh 6 SCRIPT.jac
#
# The peers driver writes its scripts to .build/peers-data/WORKLOAD/jacobi_VARIANT.jac
# (`:time` then a `save`); any script whose first `median` line is the one to compare works.
r=$1; s=$2
for i in $(seq "$r"); do for b in "$A" "$B"; do
  echo "$(basename "$b") $("$b" "$s" | grep median | head -1 | awk '{v=$2; u=$3; if (u=="ms") v*=1000; if (u=="s") v*=1e6; print v}')"
done; done | python3 -c '
import sys, statistics
d = {}
for l in sys.stdin:
    k, v = l.split(); d.setdefault(k, []).append(float(v))
for k, v in d.items(): print(k, "min", min(v), "median", statistics.median(v), "all", v)'
