#!/bin/sh
# Runs one libFuzzer target for SECONDS on a copy of SEED_DIR's corpus and
# prints one summary line: executions, coverage (cov/ft), crashes.
# Crash, leak and timeout inputs land in ARTIFACTS (default: ./artifacts-TARGET/).
# usage: run_one.sh FUZZER SEED_DIR SECONDS [ARTIFACTS]
set -u
fuzzer=$1
seeds=$2
seconds=$3
name=$(basename "$fuzzer")
artifacts=${4:-$PWD/artifacts-$name}
work=$(mktemp -d)
mkdir -p "$artifacts"
log=$artifacts/$name.log
start=$(date +%s)
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$seeds" >"$log" 2>&1
rc=$?
end=$(date +%s)
execs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -ao '[0-9]*$' | tail -1)
last=$(grep -aE '^#[0-9]+' "$log" | tail -1)
cov=$(echo "$last" | grep -ao 'cov: [0-9]*' | grep -ao '[0-9]*')
ft=$(echo "$last" | grep -ao 'ft: [0-9]*' | grep -ao '[0-9]*')
crashes=$(grep -acE '^==[0-9]+==ERROR|runtime error:|ALARM: working on the last Unit|out-of-memory' "$log")
echo "$name: $((end - start)) s, ${execs:-?} executions, cov ${cov:-?}, ft ${ft:-?}, corpus $(ls "$work" | wc -l) new, problems $crashes, exit $rc (log $log)"
rm -rf "$work"
exit $rc
