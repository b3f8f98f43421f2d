#!/usr/bin/env bash
# Converts a generated ~1 GiB model (external data) side by side with a plain copy of its bytes and
# reports the time ratios and peak memory. Options are passed on: --size-gib N, --layer-mib N (the size of each
# MatMul weight, 16 by default), --embedded, --repeat N, --work DIR.
# Needs GNU time at /usr/bin/time (Debian package 'time'), which reports each process's peak resident memory.
#   eng/benchmark-large-model.sh                  # 1 GiB, external data, 16 MiB layers
#   eng/benchmark-large-model.sh --size-gib 3     # memory must not grow with the model
#   eng/benchmark-large-model.sh --layer-mib 256  # nor with the size of a layer
#   eng/benchmark-large-model.sh memory           # peak memory of one conversion per model size (64 MiB to 3 GiB)
#                                                 # and layer size (1, 16, 256 MiB): --sizes-gib, --layers-mib, --keep
#   eng/benchmark-large-model.sh --size-gib 1.9 --embedded   # weights inside the .onnx, near protobuf's 2 GiB limit
# The tool measured is the one this platform's package ships: published with Native AOT (artifacts/benchmark/).
# --framework-dependent measures the framework-dependent build instead (what the 'any' package runs, JIT-compiled).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/time ]; then
  echo "GNU time is needed at /usr/bin/time: apt-get install -y time" >&2
  exit 1
fi
mode=run
if [ "${1:-}" = memory ]; then
  mode=memory
  shift
fi
arguments=()
framework_dependent=false
for argument in "$@"; do
  if [ "$argument" = --framework-dependent ]; then framework_dependent=true; else arguments+=("$argument"); fi
done
if $framework_dependent; then
  dotnet build -c Release -v q -nologo src/ModelBuild.Tool/ModelBuild.Tool.csproj
  tool=src/ModelBuild.Tool/bin/Release/net10.0/modelconvert.dll
else
  rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
  dotnet publish -c Release -r "$rid" -v q -nologo -o artifacts/benchmark src/ModelBuild.Tool/ModelBuild.Tool.csproj
  tool=artifacts/benchmark/modelconvert
fi
dotnet build -c Release -v q -nologo eng/LargeModelBenchmark/LargeModelBenchmark.csproj
dotnet eng/LargeModelBenchmark/bin/Release/net10.0/LargeModelBenchmark.dll $mode --tool "$tool" "${arguments[@]}"
