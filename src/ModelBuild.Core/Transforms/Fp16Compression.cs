using System.Buffers;
using System.Runtime.InteropServices;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Transforms;

/// <summary>
/// FP16 weight compression as <c>ovc</c> does it by default: every f32/f64 Const becomes an f16
/// Const (named <c>&lt;name&gt;_compressed</c>) followed by a Convert back to the original type that
/// keeps the original name and tensor names and carries the <c>decompression</c> rt_info marker.
/// Left alone: integer constants, constants marked <c>precise</c>, constants feeding precision-
/// sensitive inputs (Interpolate scales, Range bounds), constants of which at least 75% of the
/// values f16 cannot hold, and whole models that are already quantized. Values beyond ±65504 clamp.
/// <para>
/// Whether a constant's values fit is found out while its payload is converted on its way to the .bin, so the
/// weights are read once: <see cref="Run"/> compresses every candidate, and the writer asks
/// <see cref="WithdrawIfMostlyOutOfRange"/> after each payload; a withdrawn constant goes back to its original
/// precision (the writer drops the f16 bytes and writes the original ones).
/// </para>
/// </summary>
public sealed class Fp16Compression
{
    /// <summary>A constant stays f32 when at least this share of its values is out of f16's range.</summary>
    public const double OutOfRangeShareLimit = 0.75;

    private const int ScanChunkBytes = 1 << 20;

    // Inputs whose value OpenVINO treats as exact (shape-like); constants feeding them stay f32.
    private static readonly Dictionary<string, int[]> PrecisionSensitiveInputs = new(StringComparer.Ordinal)
    {
        ["Interpolate"] = [1, 2, 3],
        ["Range"] = [0, 1, 2],
    };

    private static readonly HashSet<ElementType> QuantizedWeightTypes =
        [ElementType.I4, ElementType.U4, ElementType.I8, ElementType.U8, ElementType.F8E4M3, ElementType.F8E5M2];

    // Each compressed constant by its f16 replacement: the original and every use rewired away from it.
    private readonly Dictionary<Node, (Node Original, List<(Node Consumer, int Input)> Uses)> _compressed = new(ReferenceEqualityComparer.Instance);

    private Fp16Compression()
    {
    }

    /// <summary>Constants compressed (and not withdrawn).</summary>
    public int Count => _compressed.Count;

    /// <summary>Compresses every candidate constant of the model in place.</summary>
    public static Fp16Compression Run(Model model)
    {
        var compression = new Fp16Compression();
        if (IsAlreadyCompressedOrQuantized(model))
        {
            return compression;
        }

        var candidates = new List<(Node Constant, List<(Node Consumer, int Input)> Uses)>();
        CollectCandidates(model, candidates);
        var decompressed = new Dictionary<Node, Output>(ReferenceEqualityComparer.Instance);
        foreach (var (constant, uses) in candidates)
        {
            if (!decompressed.TryGetValue(constant, out var output))
            {
                output = Decompressed(constant);
                decompressed[constant] = output;
                compression._compressed[output.Node.Input(0).Node] = (constant, []);
            }

            compression._compressed[output.Node.Input(0).Node].Uses.AddRange(uses);
            foreach (var (consumer, input) in uses)
            {
                consumer.SetInput(input, output);
            }
        }

        return compression;
    }

    /// <summary>
    /// Called once <paramref name="constant"/>'s payload was written: if it is one of this compression's f16
    /// constants and at least 75% of its values turned out to be beyond f16, its uses go back to the original
    /// constant and true is returned (the f16 constant is no longer used).
    /// </summary>
    public bool WithdrawIfMostlyOutOfRange(Node constant)
    {
        if (!_compressed.TryGetValue(constant, out var compressed))
        {
            return false;
        }

        var payload = (Fp16CompressedTensorData)constant.Constant!.Data;
        var outOfRange = payload.OutOfRangeSeen ?? CountOutOfRange(compressed.Original.Constant!);
        if (outOfRange.Total < OutOfRangeShareLimit * payload.ElementCount)
        {
            return false;
        }

        foreach (var (consumer, input) in compressed.Uses)
        {
            consumer.SetInput(input, compressed.Original.Output());
        }

        _compressed.Remove(constant);
        return true;
    }
    // f32/f64 constants with their uses, per graph (the model and its bodies); a constant whose uses in a
    // graph include a precision-sensitive input stays as it is there.
    private static void CollectCandidates(Model model, List<(Node Constant, List<(Node Consumer, int Input)> Uses)> candidates)
    {
        var consumers = model.Consumers();
        foreach (var node in model.OrderedNodes())
        {
            foreach (var body in node.Bodies)
            {
                CollectCandidates(body.Graph, candidates);
            }

            if (node.Constant is { Type: ElementType.F32 or ElementType.F64, ElementCount: > 0 } && consumers.TryGetValue(node.Output(), out var uses)
                && !uses.Any(use => IsPrecisionSensitive(use.Consumer, use.Input)) && !node.RuntimeInfo.Contains(RtInfoEntry.Precise))
            {
                candidates.Add((node, uses));
            }
        }
    }

    private static Output Decompressed(Node constant)
    {
        var payload = constant.Constant!;
        var halves = Node.CreateConstant(ElementType.F16, payload.Shape, new Fp16CompressedTensorData(payload.Data, payload.Type));
        halves.Name = constant.Name is null ? null : constant.Name + "_compressed";
        var convert = Node.Create(TypeOps.Convert, [halves.Output()], new Dictionary<string, object> { ["destination_type"] = payload.Type });
        convert.Name = constant.Name;
        convert.Outputs[0].Names.UnionWith(constant.Outputs[0].Names);
        convert.RuntimeInfo.Add(RtInfoEntry.Decompression);
        return convert.Output();
    }

    // A read of its own, in chunks, for a payload the writer did not read whole and in order.
    private static OutOfRange CountOutOfRange(ConstantPayload payload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ScanChunkBytes);
        try
        {
            var count = default(OutOfRange);
            for (long offset = 0; offset < payload.Data.Length; offset += ScanChunkBytes)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(ScanChunkBytes, payload.Data.Length - offset));
                payload.Data.Read(offset, chunk);
                count += payload.Type == ElementType.F32
                    ? Fp16Kernels.CountOutOfRange(MemoryMarshal.Cast<byte, float>(chunk))
                    : Fp16Kernels.CountOutOfRange(MemoryMarshal.Cast<byte, double>(chunk));
            }

            return count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsPrecisionSensitive(Node consumer, int input) =>
        PrecisionSensitiveInputs.TryGetValue(consumer.Type, out var inputs) && inputs.Contains(input);

    // FakeQuantize/FakeConvert, or low-precision weights decompressed by Convert (→ Subtract) → Multiply.
    private static bool IsAlreadyCompressedOrQuantized(Model model) =>
        model.OrderedNodes().Any(node =>
            node.Type is "FakeQuantize" or "FakeConvert"
            || (node.Op is ConvertOp && node.Input(0).Node.Constant is { } payload && QuantizedWeightTypes.Contains(payload.Type))
            || node.Bodies.Any(b => IsAlreadyCompressedOrQuantized(b.Graph)));
}
