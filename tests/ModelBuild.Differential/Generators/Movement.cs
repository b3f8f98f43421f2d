using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using static ModelBuild.Differential.Generators.RandomValues;

namespace ModelBuild.Differential.Generators;

/// <summary>Ops that move, copy or describe data: reshapes, transposes, slices, pads, tiles, casts, shapes, generators of tensors.</summary>
public static class Movement
{
    private static readonly ElementType[] Types = [ElementType.F32, ElementType.I64, ElementType.I32, ElementType.Boolean, ElementType.U8];

    public static IEnumerable<OpSpec> Specs() =>
    [
        new("Reshape", Reshape, Opset: 14),
        new("Transpose", Transpose, Opset: 13),
        new("Squeeze", Squeeze, Opset: 13),
        new("Unsqueeze", Unsqueeze, Opset: 13),
        new("Flatten", Flatten, Opset: 13),
        new("Concat", Concat, Opset: 13),
        new("Split", Split, Opset: 13),
        new("Slice", Slice, Opset: 13),
        new("Expand", Expand, Opset: 13),
        new("Tile", Tile, Opset: 13),
        new("Pad", Pad, Opset: 13),
        new("Shape", Shape, Opset: 15),
        new("Size", Size, Opset: 13),
        new("DepthToSpace", DepthToSpace, Opset: 13),
        new("SpaceToDepth", SpaceToDepth, Opset: 13),
        new("Cast", Cast, Opset: 13),
        new("CastLike", CastLike, Opset: 15),
        new("Range", Range, Opset: 11),
        new("ConstantOfShape", ConstantOfShape, Opset: 9),
        new("Trilu", Trilu, Opset: 14),
        new("CumSum", CumSum, Opset: 14),
        new("EyeLike", EyeLike, Opset: 9),
        new("ReverseSequence", ReverseSequence, Opset: 10),
    ];

    private static void Reshape(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(maxRank: 5, allowEmpty: true);
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var count = ShapeMath.ElementCount(shape);
        // A new arrangement of the same elements: the dims shuffled, two neighbours merged, one left to -1 or copied with 0.
        var target = shape.OrderBy(_ => b.Random.Next()).ToList();
        if (target.Count >= 2 && b.Random.Chance(0.4))
        {
            var at = b.Random.Next(target.Count - 1);
            target[at] *= target[at + 1];
            target.RemoveAt(at + 1);
        }

        if (b.Random.Chance(0.2))
        {
            target.Insert(b.Random.Next(target.Count + 1), 1);
        }

        var copyable = Enumerable.Range(0, target.Count).Where(i => i < shape.Length && target[i] == shape[i]).ToList();
        if (copyable.Count > 0 && b.Random.Chance(0.3))
        {
            target[b.Random.Pick([.. copyable])] = 0;
        }

        var inferable = Enumerable.Range(0, target.Count).Where(i => target[i] > 0).ToList();
        if (count > 0 && inferable.Count > 0 && b.Random.Chance(0.4))
        {
            target[b.Random.Pick([.. inferable])] = -1;
        }

        b.Output(b.Node1("Reshape", [x, b.Constant(Int64s([.. target]))], b.TypeOf(x)));
    }

    private static void Transpose(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(allowEmpty: true);
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var permutation = Enumerable.Range(0, shape.Length).Select(i => (long)i).OrderBy(_ => b.Random.Next()).ToArray();
        b.Output(Elementwise.Chain(b, b.Node1("Transpose", [x], b.TypeOf(x), b.Random.Chance(0.2) ? [] : [OnnxAttributes.Ints("perm", permutation)])));
    }

    private static void Squeeze(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(maxRank: 5).Select(d => b.Random.Chance(0.4) ? 1 : d).ToArray();
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var ones = Enumerable.Range(0, shape.Length).Where(i => shape[i] == 1).OrderBy(_ => b.Random.Next()).ToList();
        var axes = ones.Take(b.Random.Next(ones.Count + 1)).Select(a => b.Random.Chance(0.3) ? (long)(a - shape.Length) : a).ToArray();
        b.Output(b.Node1("Squeeze", axes.Length == 0 && b.Random.Chance(0.5) ? [x] : [x, b.Constant(Int64s(axes))], b.TypeOf(x)));
    }

    private static void Unsqueeze(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(maxRank: 4, allowEmpty: true);
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var outputRank = shape.Length + b.Random.Next(1, 3);
        var axes = b.Random.Axes(outputRank, outputRank - shape.Length);
        b.Output(b.Node1("Unsqueeze", [x, b.Constant(Int64s(axes))], b.TypeOf(x)));
    }

    private static void Flatten(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(maxRank: 5, allowEmpty: true);
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var axis = b.Random.Next(-shape.Length, shape.Length + 1);
        b.Output(b.Node1("Flatten", [x], b.TypeOf(x), OnnxAttributes.Int("axis", axis)));
    }

    private static void Concat(CaseBuilder b)
    {
        var type = b.Random.Pick(Types);
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 5);
        var axis = b.Random.Axis(shape.Length);
        var inputs = Enumerable.Range(0, b.Random.Next(1, 4)).Select(_ =>
        {
            var part = (long[])shape.Clone();
            part[Normalize(axis, shape.Length)] = b.Random.Next(0, 4);
            return b.Input(b.Random.Values(type, part));
        }).ToArray();
        b.Output(b.Node1("Concat", inputs, type, OnnxAttributes.Int("axis", axis)));
    }

    private static void Split(CaseBuilder b)
    {
        var type = b.Random.Pick(Types);
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var axis = b.Random.Axis(shape.Length);
        var length = shape[Normalize(axis, shape.Length)];
        var x = b.Input(b.Random.Values(type, shape));
        string[] outputs;
        if (b.Random.Chance(0.5))
        {
            // Given sizes, zeros included.
            var parts = new List<long>();
            var left = length;
            while (left > 0 && parts.Count < 3)
            {
                var part = b.Random.NextInt64(0, left + 1);
                parts.Add(part);
                left -= part;
            }

            parts.Add(left);
            outputs = b.Node("Split", [x, b.Constant(Int64s([.. parts]))], [.. parts.Select(_ => type)], OnnxAttributes.Int("axis", axis));
        }
        else
        {
            var divisors = Enumerable.Range(1, 3).Where(n => length % n == 0).ToArray();
            outputs = b.Node("Split", [x], [.. Enumerable.Repeat(type, b.Random.Pick(divisors))], OnnxAttributes.Int("axis", axis));
        }

        foreach (var output in outputs)
        {
            b.Output(output);
        }
    }

    private static void Slice(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 5, allowEmpty: true);
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var axes = b.Random.Axes(shape.Length);
        var starts = new long[axes.Length];
        var ends = new long[axes.Length];
        var steps = new long[axes.Length];
        for (var i = 0; i < axes.Length; i++)
        {
            var length = shape[Normalize(axes[i], shape.Length)];
            steps[i] = b.Random.Pick(1L, 1L, 2L, -1L, -2L, 3L);
            // Positions beyond the ends and negative ones are clamped: both happen.
            starts[i] = b.Random.NextInt64(-length - 2, length + 3);
            ends[i] = b.Random.Chance(0.15) ? (steps[i] > 0 ? long.MaxValue : long.MinValue) : b.Random.NextInt64(-length - 2, length + 3);
        }

        var inputs = new List<string> { x, b.Constant(Int64s(starts)), b.Constant(Int64s(ends)) };
        var allAxesInOrder = axes.Length == shape.Length && axes.Select((a, i) => Normalize(a, shape.Length) == i).All(v => v);
        if (!allAxesInOrder || b.Random.Chance(0.5) || steps.Any(s => s != 1))
        {
            inputs.Add(b.Constant(Int64s(axes)));
            if (steps.Any(s => s != 1) || b.Random.Chance(0.5))
            {
                inputs.Add(b.Constant(Int64s(steps)));
            }
        }

        b.Note($"starts [{string.Join(",", starts)}] ends [{string.Join(",", ends)}] axes [{string.Join(",", axes)}] steps [{string.Join(",", steps)}]");
        b.Output(b.Node1("Slice", [.. inputs], b.TypeOf(x)));
    }

    private static void Expand(CaseBuilder b)
    {
        var target = b.Random.AnyShape(maxRank: 5, allowEmpty: true);
        var shape = b.Random.BroadcastPartner(target);
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        // The shape given may itself have 1s where the input has the dim, and fewer dims: the result is the broadcast of both.
        var given = target.Select((d, i) => b.Random.Chance(0.2) ? 1 : d).Skip(b.Random.Chance(0.2) ? 1 : 0).ToArray();
        b.Output(b.Node1("Expand", [x, b.Constant(Int64s(given))], b.TypeOf(x)));
    }

    private static void Tile(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var repeats = shape.Select(_ => b.Random.NextInt64(0, 4)).ToArray();
        b.Output(b.Node1("Tile", [x, b.Constant(Int64s(repeats))], b.TypeOf(x)));
    }

    private static void Pad(CaseBuilder b)
    {
        var mode = b.Random.Pick("constant", "reflect", "edge");
        var type = b.Random.Pick(ElementType.F32, ElementType.I64, ElementType.I32);
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4, minDim: mode == "constant" ? 1 : 2);
        var x = b.Input(b.Random.Values(type, shape));
        var pads = new long[shape.Length * 2];
        for (var i = 0; i < pads.Length; i++)
        {
            var length = shape[i % shape.Length];
            // Reflect pads at most length - 1 elements; a negative pad crops (constant mode).
            pads[i] = mode switch
            {
                "reflect" => b.Random.NextInt64(0, length),
                "edge" => b.Random.NextInt64(0, 3),
                _ => b.Random.NextInt64(-Math.Min(1, length / 2), 3),
            };
        }

        var inputs = new List<string> { x, b.Constant(Int64s(pads)) };
        if (mode == "constant" && b.Random.Chance(0.5))
        {
            inputs.Add(b.Constant(Tensor.Scalar(type, b.Random.Next(-5, 6))));
        }

        b.Output(b.Node1("Pad", [.. inputs], type, OnnxAttributes.String("mode", mode)));
    }

    private static void Shape(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(allowEmpty: true);
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var attributes = new List<AttributeProto>();
        if (b.Random.Chance(0.5))
        {
            attributes.Add(OnnxAttributes.Int("start", b.Random.Next(-shape.Length - 1, shape.Length + 2)));
        }

        if (b.Random.Chance(0.5))
        {
            attributes.Add(OnnxAttributes.Int("end", b.Random.Next(-shape.Length - 1, shape.Length + 2)));
        }

        b.Output(b.Node1("Shape", [x], ElementType.I64, [.. attributes]));
    }

    private static void Size(CaseBuilder b)
    {
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), b.Random.AnyShape(allowEmpty: true)));
        b.Output(b.Node1("Size", [x], ElementType.I64));
    }

    private static void DepthToSpace(CaseBuilder b)
    {
        var block = b.Random.Next(1, 4);
        var shape = new long[] { b.Random.Next(1, 3), b.Random.Next(1, 3) * block * block, b.Random.Next(1, 4), b.Random.Next(1, 4) };
        var x = b.Input(b.Random.Floats(ElementType.F32, shape));
        b.Output(b.Node1("DepthToSpace", [x], ElementType.F32, OnnxAttributes.Int("blocksize", block), OnnxAttributes.String("mode", b.Random.Pick("DCR", "CRD"))));
    }

    private static void SpaceToDepth(CaseBuilder b)
    {
        var block = b.Random.Next(1, 4);
        var shape = new long[] { b.Random.Next(1, 3), b.Random.Next(1, 4), b.Random.Next(1, 3) * block, b.Random.Next(1, 3) * block };
        var x = b.Input(b.Random.Floats(ElementType.F32, shape));
        b.Output(b.Node1("SpaceToDepth", [x], ElementType.F32, OnnxAttributes.Int("blocksize", block)));
    }

    private static readonly ElementType[] CastTypes =
        [ElementType.F32, ElementType.F64, ElementType.F16, ElementType.I8, ElementType.I32, ElementType.I64, ElementType.U8, ElementType.Boolean];

    /// <summary>Values every cast from <paramref name="from"/> to <paramref name="to"/> defines: in the target's range, fractions truncate toward zero.</summary>
    private static Tensor CastSource(Random random, ElementType from, ElementType to, long[] shape)
    {
        var low = to is ElementType.U8 or ElementType.Boolean || from == ElementType.U8 ? 0 : -100;
        var high = to == ElementType.I8 ? 100 : 200;
        return from.IsFloatingPoint() ? random.Floats(from, shape, low, high) : from == ElementType.Boolean ? random.Booleans(shape) : random.Integers(from, shape, low, Math.Min(high, from == ElementType.I8 ? 100 : 200));
    }

    private static void Cast(CaseBuilder b)
    {
        var from = b.Random.Pick(CastTypes);
        var to = b.Random.Pick(CastTypes);
        var x = b.Input(CastSource(b.Random, from, to, b.Random.AnyShape(allowEmpty: true)));
        b.Output(b.Node1("Cast", [x], to, OnnxAttributes.Int("to", OnnxTensors.ToOnnxType(to))));
    }

    private static void CastLike(CaseBuilder b)
    {
        var from = b.Random.Pick(CastTypes);
        var to = b.Random.Pick(CastTypes);
        var x = b.Input(CastSource(b.Random, from, to, b.Random.AnyShape(allowEmpty: true)));
        var like = b.Input(b.Random.Values(to, b.Random.AnyShape(maxRank: 2)));
        b.Output(b.Node1("CastLike", [x, like], to));
    }

    private static void Range(CaseBuilder b)
    {
        var type = b.Random.Pick(ElementType.F32, ElementType.I64, ElementType.I32);
        var floats = type.IsFloatingPoint();
        var start = floats ? Math.Round(b.Random.NextDouble() * 6 - 3, 2) : b.Random.Next(-5, 6);
        var delta = floats ? Math.Round(b.Random.NextDouble() * 2 + 0.25, 2) * b.Random.Pick(1, -1) : b.Random.Next(1, 4) * b.Random.Pick(1, -1);
        var limit = start + (delta * b.Random.Next(-1, 12));
        // The start is a runtime input: the result's length is only known when the model runs.
        string[] inputs = [b.Input(Tensor.Scalar(type, start)), b.Constant(Tensor.Scalar(type, limit)), b.Constant(Tensor.Scalar(type, delta))];
        b.Output(b.Node1("Range", inputs, type));
    }

    private static void ConstantOfShape(CaseBuilder b)
    {
        var x = b.Input(b.Random.Floats(ElementType.F32, b.Random.AnyShape(maxRank: 4, allowEmpty: true)));
        var shape = b.Node1("Shape", [x], ElementType.I64);
        var type = b.Random.Pick(ElementType.F32, ElementType.I64, ElementType.I32, ElementType.Boolean);
        var attributes = b.Random.Chance(0.2) ? [] : new[] { OnnxAttributes.Tensor("value", OnnxTensors.FromTensor(Tensor.FromDoubles(type, [b.Random.Next(0, 5)], [1]), "value")) };
        b.Output(b.Node1("ConstantOfShape", [shape], attributes.Length == 0 ? ElementType.F32 : type, attributes));
    }

    private static void Trilu(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 2, maxRank: 4, allowEmpty: true);
        var x = b.Input(b.Random.Values(b.Random.Pick(ElementType.F32, ElementType.I64), shape));
        var inputs = b.Random.Chance(0.6) ? new[] { x, b.Constant(Int64Scalar(b.Random.Next(-3, 4))) } : [x];
        b.Output(b.Node1("Trilu", inputs, b.TypeOf(x), OnnxAttributes.Int("upper", b.Random.Next(2))));
    }

    private static void CumSum(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4, allowEmpty: true);
        var x = b.Input(b.Random.Values(b.Random.Pick(ElementType.F32, ElementType.F64, ElementType.I32, ElementType.I64), shape));
        var axis = b.Constant(Tensor.FromInt64s(b.Random.Pick(ElementType.I64, ElementType.I32), [b.Random.Axis(shape.Length)], []));
        b.Output(b.Node1("CumSum", [x, axis], b.TypeOf(x), OnnxAttributes.Int("exclusive", b.Random.Next(2)), OnnxAttributes.Int("reverse", b.Random.Next(2))));
    }

    private static void EyeLike(CaseBuilder b)
    {
        var x = b.Input(b.Random.Floats(ElementType.F32, b.Random.Shape(2, maxDim: 5)));
        var attributes = new List<AttributeProto> { OnnxAttributes.Int("k", b.Random.Next(-3, 4)) };
        var type = ElementType.F32;
        if (b.Random.Chance(0.5))
        {
            type = b.Random.Pick(ElementType.I64, ElementType.I32, ElementType.F64);
            attributes.Add(OnnxAttributes.Int("dtype", OnnxTensors.ToOnnxType(type)));
        }

        b.Output(b.Node1("EyeLike", [x], type, [.. attributes]));
    }

    private static void ReverseSequence(CaseBuilder b)
    {
        var timeFirst = b.Random.Chance(0.5);
        var shape = b.Random.Shape(b.Random.Next(2, 5), maxDim: 4);
        var x = b.Input(b.Random.Values(b.Random.Pick(ElementType.F32, ElementType.I64), shape));
        var (time, batch) = timeFirst ? (0, 1) : (1, 0);
        var lengths = b.Input(b.Random.Integers(ElementType.I64, [shape[batch]], 1, shape[time]));
        b.Output(b.Node1("ReverseSequence", [x, lengths], b.TypeOf(x), OnnxAttributes.Int("time_axis", time), OnnxAttributes.Int("batch_axis", batch)));
    }
}
