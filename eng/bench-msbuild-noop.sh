#!/usr/bin/env bash
# What the ModelBuild package adds to a no-op `dotnet build`.
#
# Packs ModelBuild (unique version, isolated NuGet folder), then makes two identical console apps in a temporary
# folder holding the same MODELS models: "with" references the package and lists them as OnnxModel items, "without"
# does neither. After one full build of each, it times ROUNDS no-op builds of each, alternating the two so machine
# noise hits both alike, and prints both medians and their ratio (the issue's budget: at most 1.05).
#
# Usage: eng/bench-msbuild-noop.sh [MODELS=8] [ROUNDS=15]
set -euo pipefail

models=${1:-8}
rounds=${2:-15}
repo=$(cd "$(dirname "$0")/.." && pwd)
backend=${ONNX_BACKEND_TEST_DATA:-/usr/include/onnx/backend/test/data}/node
work=$(mktemp -d -t modelbuild-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

export NUGET_PACKAGES="$work/packages" MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 \
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build=(build -nodeReuse:false --disable-build-servers -v:q -tl:off)

version_suffix="bench.$(date +%Y%m%d%H%M%S)"
echo "Packing ModelBuild ($version_suffix)..."
dotnet pack "$repo/src/ModelBuild.Tasks/ModelBuild.Tasks.csproj" -c Release -o "$work/feed" \
  --artifacts-path "$work/artifacts" -p:VersionSuffix="$version_suffix" -nodeReuse:false --disable-build-servers -v:q >/dev/null
package=$(basename "$work"/feed/ModelBuild.*.nupkg .nupkg)
version=${package#ModelBuild.}

# Isolation from any repository settings above the temporary folder, and only the local feed.
cat >"$work/nuget.config" <<EOF
<configuration>
  <packageSources><clear /><add key="bench" value="$work/feed" /></packageSources>
</configuration>
EOF
for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo '<Project />' >"$work/$file"; done

# Single-node backend tests that convert today; each app gets the same $models of them.
tests=(test_relu test_sigmoid test_add test_abs test_exp test_neg test_sqrt test_tanh test_sub test_mul test_div test_floor)
if ((models > ${#tests[@]})); then
  echo "At most ${#tests[@]} models." >&2
  exit 2
fi

for app in with without; do
  mkdir -p "$work/$app/models"
  for test in "${tests[@]:0:models}"; do cp "$backend/$test/model.onnx" "$work/$app/models/$test.onnx"; done
  echo 'System.Console.WriteLine("bench");' >"$work/$app/Program.cs"
  if [ "$app" = with ]; then
    items="<ItemGroup><PackageReference Include=\"ModelBuild\" Version=\"$version\" PrivateAssets=\"all\" /><OnnxModel Include=\"models/*.onnx\" /></ItemGroup>"
  else
    items=""
  fi
  cat >"$work/$app/$app.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  $items
</Project>
EOF
  dotnet "${build[@]}" "$work/$app" >/dev/null
done
converted=$(find "$work/with/bin" -name '*.xml' | wc -l)
echo "Converted $converted of $models models in the first build of 'with'."

# One no-op build, in milliseconds.
time_build() {
  local start end
  start=$(date +%s%N)
  dotnet "${build[@]}" "$work/$1" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

with_times=()
without_times=()
for ((round = 1; round <= rounds; round++)); do
  # Alternate which app goes first, so neither always follows the other.
  if ((round % 2)); then
    with_times+=("$(time_build with)")
    without_times+=("$(time_build without)")
  else
    without_times+=("$(time_build without)")
    with_times+=("$(time_build with)")
  fi
  echo "round $round: with ${with_times[-1]} ms, without ${without_times[-1]} ms"
done

with_median=$(printf '%s\n' "${with_times[@]}" | median)
without_median=$(printf '%s\n' "${without_times[@]}" | median)
echo "No-op dotnet build, median of $rounds (ModelBuild $version, $models models):"
echo "  with ModelBuild:    $with_median ms"
echo "  without ModelBuild: $without_median ms"
awk -v w="$with_median" -v wo="$without_median" 'BEGIN { printf "  ratio: %.3f (overhead %+.1f%%)\n", w / wo, (w / wo - 1) * 100 }'
