using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using static ModelBuild.Differential.Generators.RandomValues;

namespace ModelBuild.Differential.Generators;

/// <summary>Gathers, scatters, one-hot, top-k, non-zero, compress: indices in range, negative ones included, as inputs and as constants.</summary>
public static class Indexing
{
    private static readonly ElementType[] Types = [ElementType.F32, ElementType.I64, ElementType.I32, ElementType.Boolean];

    public static IEnumerable<OpSpec> Specs() =>
    [
        new("Gather", Gather, Opset: 13),
        new("GatherElements", GatherElements, Opset: 13),
        new("GatherND", GatherNd, Opset: 13),
        new("ScatterElements", ScatterElements, Opset: 18),
        new("ScatterND", ScatterNd, Opset: 18),
        new("OneHot", OneHot, Opset: 11),
        new("NonZero", NonZero, Opset: 13),
        new("TopK", TopK, Opset: 11),
        new("Compress", Compress, Opset: 11),
    ];

    /// <summary>Indices into a dim of <paramref name="length"/>: in [-length, length), as a graph input or a constant.</summary>
    private static string Indices(CaseBuilder b, long[] shape, long length)
    {
        var type = b.Random.Pick(ElementType.I64, ElementType.I32);
        var values = b.Random.Integers(type, shape, -length, length - 1);
        return b.Random.Chance(0.5) ? b.Input(values) : b.Constant(values);
    }

    private static void Gather(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var data = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var axis = b.Random.Axis(shape.Length);
        var indices = Indices(b, b.Random.AnyShape(maxRank: 2, allowEmpty: true), shape[Normalize(axis, shape.Length)]);
        b.Output(Elementwise.Chain(b, b.Node1("Gather", [data, indices], b.TypeOf(data), OnnxAttributes.Int("axis", axis))));
    }

    private static void GatherElements(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var data = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var axis = b.Random.Axis(shape.Length);
        var normalized = Normalize(axis, shape.Length);
        var indicesShape = shape.Select((d, i) => i == normalized ? b.Random.Next(1, 5) : b.Random.NextInt64(1, d + 1)).ToArray();
        b.Output(b.Node1("GatherElements", [data, Indices(b, indicesShape, shape[normalized])], b.TypeOf(data), OnnxAttributes.Int("axis", axis)));
    }

    private static void GatherNd(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var batchDims = b.Random.Chance(0.3) ? b.Random.Next(0, shape.Length) : 0;
        var depth = b.Random.Next(1, shape.Length - batchDims + 1);
        var data = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var outer = b.Random.Shape(b.Random.Next(0, 2));
        var indicesShape = shape[..batchDims].Concat(outer).Append(depth).ToArray();
        // Each index column k addresses the dim batch_dims + k.
        var values = new long[ShapeMath.ElementCount(indicesShape)];
        for (var i = 0; i < values.Length; i++)
        {
            var length = shape[batchDims + (i % depth)];
            values[i] = b.Random.NextInt64(-length, length);
        }

        var indices = Tensor.FromInt64s(ElementType.I64, values, indicesShape);
        b.Output(b.Node1("GatherND", [data, b.Random.Chance(0.5) ? b.Input(indices) : b.Constant(indices)], b.TypeOf(data), OnnxAttributes.Int("batch_dims", batchDims)));
    }

    private static void ScatterElements(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 3);
        var reduction = b.Random.Pick("none", "add", "mul", "max", "min");
        var type = b.Random.Pick(ElementType.F32, ElementType.I64);
        var data = b.Input(b.Random.Values(type, shape));
        var axis = b.Random.Axis(shape.Length);
        var normalized = (int)Normalize(axis, shape.Length);
        var indicesShape = shape.Select((d, i) => i == normalized ? b.Random.NextInt64(1, d + 1) : b.Random.NextInt64(1, d + 1)).ToArray();
        // Without a reduction two updates of one element leave it undefined: each line along the axis gets distinct indices.
        var values = new long[ShapeMath.ElementCount(indicesShape)];
        var strides = ShapeMath.Strides(indicesShape);
        var length = shape[normalized];
        for (var line = 0L; line < values.Length; line++)
        {
            if ((line / strides[normalized]) % indicesShape[normalized] != 0)
            {
                continue;
            }

            var order = Enumerable.Range(0, (int)length).OrderBy(_ => b.Random.Next()).ToArray();
            for (var k = 0; k < indicesShape[normalized]; k++)
            {
                var position = order[k];
                values[line + (k * strides[normalized])] = b.Random.Chance(0.3) ? position - length : position;
            }
        }

        var indices = b.Constant(Tensor.FromInt64s(ElementType.I64, values, indicesShape));
        var updates = b.Input(b.Random.Values(type, indicesShape));
        b.Output(b.Node1("ScatterElements", [data, indices, updates], type, OnnxAttributes.Int("axis", axis), OnnxAttributes.String("reduction", reduction)));
    }

    private static void ScatterNd(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 3);
        var type = b.Random.Pick(ElementType.F32, ElementType.I64);
        var data = b.Input(b.Random.Values(type, shape));
        var depth = b.Random.Next(1, shape.Length + 1);
        var addressable = shape[..depth].Aggregate(1L, (a, d) => a * d);
        var count = b.Random.NextInt64(1, Math.Min(addressable, 4) + 1);
        // Distinct positions: duplicates are undefined without a reduction.
        var positions = Enumerable.Range(0, (int)addressable).OrderBy(_ => b.Random.Next()).Take((int)count).ToArray();
        var values = new List<long>();
        foreach (var position in positions)
        {
            var rest = (long)position;
            var index = new long[depth];
            for (var d = depth - 1; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }

            values.AddRange(index);
        }

        var indices = b.Constant(Tensor.FromInt64s(ElementType.I64, [.. values], [count, depth]));
        var updates = b.Input(b.Random.Values(type, [count, .. shape[depth..]]));
        var reduction = b.Random.Pick("none", "add", "mul", "max", "min");
        b.Output(b.Node1("ScatterND", [data, indices, updates], type, OnnxAttributes.String("reduction", reduction)));
    }

    /// <summary>The (indices, values, depth) type triples ONNX Runtime has OneHot kernels for.</summary>
    private static readonly (ElementType Indices, ElementType Values, ElementType Depth)[] OneHotTypes =
    [
        (ElementType.I64, ElementType.I64, ElementType.I64), (ElementType.F32, ElementType.I64, ElementType.I64),
        (ElementType.I64, ElementType.F32, ElementType.I64), (ElementType.I32, ElementType.F32, ElementType.I32),
        (ElementType.I32, ElementType.F32, ElementType.F32), (ElementType.F32, ElementType.F32, ElementType.F32),
        (ElementType.I64, ElementType.I32, ElementType.F32), (ElementType.I64, ElementType.F32, ElementType.F32),
    ];

    private static void OneHot(CaseBuilder b)
    {
        var depth = b.Random.Next(1, 6);
        var types = b.Random.Pick(OneHotTypes);
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 3);
        var indices = b.Input(b.Random.Integers(types.Indices, shape, -depth, depth - 1));
        var onOff = b.Constant(Tensor.FromDoubles(types.Values, [b.Random.Next(-3, 1), b.Random.Next(1, 5)], [2]));
        var axis = b.Random.Next(-shape.Length - 1, shape.Length + 1);
        b.Output(b.Node1("OneHot", [indices, b.Constant(Tensor.Scalar(types.Depth, depth)), onOff], types.Values, OnnxAttributes.Int("axis", axis)));
    }

    private static void NonZero(CaseBuilder b)
    {
        var type = b.Random.Pick(ElementType.F32, ElementType.I64, ElementType.Boolean);
        var x = b.Input(type == ElementType.Boolean ? b.Random.Booleans(b.Random.AnyShape(maxRank: 4, allowEmpty: true)) : b.Random.Integers(type, b.Random.AnyShape(maxRank: 4, allowEmpty: true), -1, 1));
        b.Output(b.Node1("NonZero", [x], ElementType.I64));
    }

    private static void TopK(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var type = b.Random.Pick(ElementType.F32, ElementType.I64, ElementType.I32);
        // Distinct values: with ties, which index comes first is up to the runtime.
        var x = b.Input(b.Random.Distinct(type, shape));
        var axis = b.Random.Axis(shape.Length);
        var k = b.Random.NextInt64(0, shape[Normalize(axis, shape.Length)] + 1);
        var outputs = b.Node("TopK", [x, b.Constant(Int64s(k))], [type, ElementType.I64],
            OnnxAttributes.Int("axis", axis), OnnxAttributes.Int("largest", b.Random.Next(2)), OnnxAttributes.Int("sorted", 1));
        b.Output(outputs[0]);
        b.Output(outputs[1]);
    }

    private static void Compress(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var x = b.Input(b.Random.Values(b.Random.Pick(Types), shape));
        var flat = b.Random.Chance(0.3);
        var axis = b.Random.Axis(shape.Length);
        var available = flat ? ShapeMath.ElementCount(shape) : shape[Normalize(axis, shape.Length)];
        // The condition may be shorter than the axis: the rest is dropped.
        var condition = b.Random.Booleans([b.Random.NextInt64(0, available + 1)]);
        var inputs = new[] { x, b.Random.Chance(0.5) ? b.Input(condition) : b.Constant(condition) };
        b.Output(b.Node1("Compress", inputs, b.TypeOf(x), flat ? [] : [OnnxAttributes.Int("axis", axis)]));
    }
}
