#!/usr/bin/env bash
# Long runs of the differential suite (tests/ModelBuild.Differential): random small ONNX graphs, converted and run in
# the reference evaluator, compared with ONNX Runtime. CI runs one fixed seed (tests/ModelBuild.Differential.Tests);
# this runs as many random seeds as you like. Every failing case is printed with the command that reruns it alone.
#
#   eng/differential-run.sh                              one run of 10,000 cases with a random seed
#   eng/differential-run.sh --runs 20 --cases 10000      20 runs, each with its own random seed (200,000 cases)
#   eng/differential-run.sh --seed S --cases N --first I cases I..I+N-1 of seed S
#   eng/differential-run.sh --seed S --case I            case I of seed S again; keeps its model.onnx and IR and says where
#   --workers W                                          threads (default: every core)
#
# A failure whose op and kind are listed in tests/ModelBuild.Differential/differential-expectations.txt or
# differential-long-run-expectations.txt is known and only counted; a new one is printed in full with its rerun command.
# Exit code 1 when a run has a new failure (ONNX Runtime refusing a case is not a failure: nothing was compared).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=1
arguments=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    *) arguments+=("$1"); shift ;;
  esac
done

build_log=$(mktemp)
if ! dotnet build eng/DifferentialRun -c Release -nologo -v:q >"$build_log" 2>&1; then
  cat "$build_log"; rm -f "$build_log"; exit 2
fi
rm -f "$build_log"

status=0
for ((run = 1; run <= runs; run++)); do
  dotnet eng/DifferentialRun/bin/Release/net10.0/DifferentialRun.dll "${arguments[@]}" || status=1
done
exit $status
