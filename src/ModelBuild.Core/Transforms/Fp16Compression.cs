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
/// </summary>
public static class Fp16Compression
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

    /// <summary>Compresses the model in place; returns how many constants were compressed.</summary>
    public static int Run(Model model)
    {
        if (IsAlreadyCompressedOrQuantized(model))
        {
            return 0;
        }

        var candidates = new List<(Node Constant, List<(Node Consumer, int Input)> Uses)>();
        CollectCandidates(model, candidates);

        // Scanning the weights is the costly part: constants are decided in parallel, then rewired in order.
        var replacements = new Dictionary<Node, Output>(ReferenceEqualityComparer.Instance);
        var distinct = candidates.Select(c => c.Constant).Distinct(ReferenceEqualityComparer.Instance).Cast<Node>().ToList();
        var counts = new OutOfRange[distinct.Count];
        Parallel.For(0, distinct.Count, i => counts[i] = CountOutOfRange(distinct[i].Constant!));
        for (var i = 0; i < distinct.Count; i++)
        {
            var elements = distinct[i].Constant!.ElementCount;
            if (elements > 0 && counts[i].Total < OutOfRangeShareLimit * elements)
            {
                replacements[distinct[i]] = Decompressed(distinct[i], needsClamping: counts[i].Overflow > 0);
            }
        }

        foreach (var (constant, uses) in candidates)
        {
            if (replacements.TryGetValue(constant, out var decompressed))
            {
                foreach (var (consumer, input) in uses)
                {
                    consumer.SetInput(input, decompressed);
                }
            }
        }

        return replacements.Count;
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

            if (node.Constant is { Type: ElementType.F32 or ElementType.F64 } && consumers.TryGetValue(node.Output(), out var uses)
                && !uses.Any(use => IsPrecisionSensitive(use.Consumer, use.Input)) && !node.RuntimeInfo.Contains(RtInfoEntry.Precise))
            {
                candidates.Add((node, uses));
            }
        }
    }

    private static Output Decompressed(Node constant, bool needsClamping)
    {
        var payload = constant.Constant!;
        var halves = Node.CreateConstant(ElementType.F16, payload.Shape, new Fp16CompressedTensorData(payload.Data, payload.Type, needsClamping));
        halves.Name = constant.Name is null ? null : constant.Name + "_compressed";
        var convert = Node.Create(TypeOps.Convert, [halves.Output()], new Dictionary<string, object> { ["destination_type"] = payload.Type });
        convert.Name = constant.Name;
        convert.Outputs[0].Names.UnionWith(constant.Outputs[0].Names);
        convert.RuntimeInfo.Add(RtInfoEntry.Decompression);
        return convert.Output();
    }

    // One read of the payload, in chunks, before anything is written.
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
