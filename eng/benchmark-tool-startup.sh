#!/usr/bin/env bash
# Times the packed modelconvert tool as a user runs it: whole processes, alternating, median of N runs each,
# for (a) 'modelconvert --help' (start-up alone: runtime, CLI parsing, no conversion), (b) converting
# samples/models/lenet5.onnx, and each of them through 'dotnet tool run' (as installed from the package, with the
# SDK's tool resolution in front) and straight (the installed entry point, as a global tool's shim runs it).
# The start-up share is (a)/(b).
#   eng/benchmark-tool-startup.sh                       # packs the working tree's tool (unique version) and measures it
#   eng/benchmark-tool-startup.sh --runs 31
#   eng/benchmark-tool-startup.sh --feed DIR --version V   # measures an already packed ModelBuild.Tool
# Needs GNU time at /usr/bin/time (Debian package 'time') for peak resident memory.
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$PWD
runs=21
feed=""
version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --feed) feed=$(realpath "$2"); shift 2 ;;
    --version) version=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ! -x /usr/bin/time ]; then
  echo "GNU time is needed at /usr/bin/time: apt-get install -y time" >&2
  exit 1
fi

work=$(mktemp -d /tmp/modelconvert-startup-XXXXXX)
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -z "$feed" ]; then
  feed="$work/feed"
  version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)-startup.$(date +%s)"
  echo "Packing ModelBuild.Tool $version ..."
  dotnet pack src/ModelBuild.Tool/ModelBuild.Tool.csproj -c Release -o "$feed" -p:VersionSuffix="${version#*-}" \
    --artifacts-path "$work/artifacts" -v q -nologo >/dev/null
fi
[ -n "$version" ] || { echo "--feed needs --version" >&2; exit 2; }

cd "$work"
dotnet new tool-manifest >/dev/null
dotnet tool install --local ModelBuild.Tool --version "$version" --add-source "$feed" >/dev/null
cp "$repository/samples/models/lenet5.onnx" .
# The installed entry point: an executable (RID-specific package) or a framework-dependent dll.
entry=$(find "$NUGET_PACKAGES" -path "*/tools/*" \( -name modelconvert -o -name modelconvert.dll \) -type f | head -1)
[[ "$entry" == *.dll ]] && direct=(dotnet "$entry") || direct=("$entry")
echo "Installed ModelBuild.Tool $version; entry point ${entry#"$NUGET_PACKAGES"/}"

names=("help, tool run" "lenet5, tool run" "help, direct" "lenet5, direct")
commands=(
  "dotnet tool run modelconvert -- --help"
  "dotnet tool run modelconvert lenet5.onnx --output_model out/ --quiet"
  "${direct[*]} --help"
  "${direct[*]} lenet5.onnx --output_model out/ --quiet"
)
declare -A seconds memory
for ((i = 0; i < runs; i++)); do
  # The order rotates every round, so no variant always follows a particular other one.
  for ((k = 0; k < ${#commands[@]}; k++)); do
    v=$(((i + k) % ${#commands[@]}))
    start=$EPOCHREALTIME
    # shellcheck disable=SC2086
    /usr/bin/time -f "%M" -o peak ${commands[$v]} >/dev/null 2>&1
    end=$EPOCHREALTIME
    seconds[$v]+="$(echo "$end - $start" | bc) "
    memory[$v]+="$(tail -1 peak) "
  done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo
echo "$runs alternating runs each; whole-process wall time, median (min-max), peak RSS median:"
declare -A medians
for ((v = 0; v < ${#commands[@]}; v++)); do
  medians[$v]=$(echo "${seconds[$v]}" | median)
  range=$(echo "${seconds[$v]}" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }')
  printf "  %-18s %6.3f s  (%s s)   %5.0f MiB\n" "${names[$v]}" "${medians[$v]}" "$range" "$(echo "$(echo "${memory[$v]}" | median) / 1024" | bc -l)"
done
printf "  start-up share (help / lenet5): tool run %.0f%%, direct %.0f%%\n" \
  "$(echo "100 * ${medians[0]} / ${medians[1]}" | bc -l)" "$(echo "100 * ${medians[2]} / ${medians[3]}" | bc -l)"
