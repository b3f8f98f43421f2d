#!/usr/bin/env bash
# Times the reference evaluator against ONNX Runtime (Microsoft.ML.OnnxRuntime, CPU, all cores) on the same models
# and inputs in one process, runs alternating, and prints the median times and their ratio per model:
#   resnet18   a generated ResNet-18 (fp32, 46 MB of weights), 1x3x224x224
#   quantized  a generated dynamically quantized segmentation net (DynamicQuantizeLinear + ConvInteger, ~120 of them)
#   rnnt       the RNN-T encoder fixture (../shared/fixtures/rnnt/rnnt_encoder_small) on its test_data_set_0
# Options are passed on: --repeat N (5), --models resnet18,quantized,rnnt, --quantized-size PIXELS (512),
# --profile (the evaluator's time by op type), --work DIR (artifacts/evaluator-benchmark), --fixtures DIR.
# The machine is shared: the load average is printed with every run; compare ratios, not seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release -v q -nologo eng/EvaluatorBenchmark/EvaluatorBenchmark.csproj
dotnet eng/EvaluatorBenchmark/bin/Release/net10.0/EvaluatorBenchmark.dll "$@"
