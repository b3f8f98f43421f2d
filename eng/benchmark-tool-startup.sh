#!/usr/bin/env bash
# Times the packed modelconvert tool as a user runs it: whole processes, median of N runs each, for
# 'modelconvert --help' (start-up alone: runtime, command line, no conversion) and converting
# samples/models/lenet5.onnx, each through 'dotnet tool run' (installed as a local tool from the package, the SDK's
# tool resolution in front) and straight (the installed entry point, as a global tool's shim starts it).
# The start-up share is help / lenet5. Several packages are measured side by side: every round runs every
# package's every command, in an order that rotates, so a busy machine weighs on all of them alike.
#   eng/benchmark-tool-startup.sh                          # packs the working tree's tool (unique version)
#   eng/benchmark-tool-startup.sh --runs 31
#   eng/benchmark-tool-startup.sh --package DIR VERSION [--package DIR VERSION ...] [--with-working-tree]
#                                                          # already packed ModelBuild.Tool versions (folder feeds)
# Needs GNU time at /usr/bin/time (Debian package 'time') for peak resident memory, and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$PWD
runs=21
feeds=()
versions=()
working_tree=false
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --package) feeds+=("$(realpath "$2")"); versions+=("$3"); shift 3 ;;
    --with-working-tree) working_tree=true; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ! -x /usr/bin/time ] || ! command -v bc >/dev/null; then
  echo "GNU time (/usr/bin/time) and bc are needed: apt-get install -y time bc" >&2
  exit 1
fi

work=$(mktemp -d /tmp/modelconvert-startup-XXXXXX)
trap 'rm -rf "$work"' EXIT
# Packages and the SDK's tool resolution cache in the scratch folder: the cache outlives the packages folder and,
# for a version it has seen, keeps pointing at where that version was first installed.
export NUGET_PACKAGES="$work/packages" DOTNET_CLI_HOME="$work/home" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
  DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ ${#feeds[@]} -eq 0 ] || $working_tree; then
  version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)-startup.$(date +%s)"
  echo "Packing ModelBuild.Tool $version ..."
  dotnet pack src/ModelBuild.Tool/ModelBuild.Tool.csproj -c Release -o "$work/feed" -p:VersionSuffix="${version#*-}" \
    --artifacts-path "$work/artifacts" -v q -nologo >/dev/null
  feeds+=("$work/feed")
  versions+=("$version")
fi

# One folder per package: a tool manifest holds one version of a tool.
names=()
folders=()
commands=()
for i in "${!feeds[@]}"; do
  folder="$work/tool$i"
  mkdir -p "$folder"
  (cd "$folder" && dotnet new tool-manifest >/dev/null &&
    dotnet tool install --local ModelBuild.Tool --version "${versions[$i]}" --add-source "${feeds[$i]}" >/dev/null)
  cp "$repository/samples/models/lenet5.onnx" "$folder/"
  # The installed entry point: a framework-dependent dll (or an executable, for a self-contained or AOT package).
  entry=$(find "$NUGET_PACKAGES" -path "*/${versions[$i]}/tools/*" \( -name modelconvert -o -name modelconvert.dll \) -type f | head -1)
  [[ "$entry" == *.dll ]] && direct="dotnet $entry" || direct="$entry"
  echo "Package $i: ModelBuild.Tool ${versions[$i]}, entry point ${entry#"$NUGET_PACKAGES"/}"
  for variant in "help, tool run|dotnet tool run modelconvert -- --help" \
                 "lenet5, tool run|dotnet tool run modelconvert lenet5.onnx --output_model out/ --quiet" \
                 "help, direct|$direct --help" \
                 "lenet5, direct|$direct lenet5.onnx --output_model out/ --quiet"; do
    names+=("$i: ${variant%%|*}")
    folders+=("$folder")
    commands+=("${variant#*|}")
  done
done

declare -A seconds memory
for ((r = 0; r < runs; r++)); do
  # The order rotates every round, so no variant always follows a particular other one.
  for ((k = 0; k < ${#commands[@]}; k++)); do
    v=$(((r + k) % ${#commands[@]}))
    cd "${folders[$v]}"
    start=$EPOCHREALTIME
    # shellcheck disable=SC2086
    /usr/bin/time -f "%M" -o "$work/peak" ${commands[$v]} >/dev/null 2>&1
    end=$EPOCHREALTIME
    seconds[$v]+="$(echo "$end - $start" | bc) "
    memory[$v]+="$(tail -1 "$work/peak") "
  done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo
echo "$runs rounds; whole-process wall time, median (min-max), peak RSS median; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A medians
for ((v = 0; v < ${#commands[@]}; v++)); do
  medians[$v]=$(echo "${seconds[$v]}" | median)
  range=$(echo "${seconds[$v]}" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }')
  printf "  %-22s %6.3f s  (%s s)   %5.0f MiB\n" "${names[$v]}" "${medians[$v]}" "$range" "$(echo "$(echo "${memory[$v]}" | median) / 1024" | bc -l)"
done
for i in "${!feeds[@]}"; do
  b=$((i * 4))
  printf "  %d: start-up share (help / lenet5): tool run %.0f%%, direct %.0f%%\n" "$i" \
    "$(echo "100 * ${medians[$b]} / ${medians[$((b + 1))]}" | bc -l)" "$(echo "100 * ${medians[$((b + 2))]} / ${medians[$((b + 3))]}" | bc -l)"
  if [ "$i" -gt 0 ]; then
    printf "  %d/0 ratios: lenet5 tool run %.2f, lenet5 direct %.2f, help direct %.2f\n" "$i" \
      "$(echo "${medians[$((b + 1))]} / ${medians[1]}" | bc -l)" "$(echo "${medians[$((b + 3))]} / ${medians[3]}" | bc -l)" \
      "$(echo "${medians[$((b + 2))]} / ${medians[2]}" | bc -l)"
  fi
done
