using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// MatMul-1: NumPy matrix product. <c>transpose_a</c>/<c>transpose_b</c> swap the last two axes of
/// an operand of rank ≥ 2 first. A 1-D A is a row [1, K] and a 1-D B a column [K, 1]; those unit
/// axes are dropped from the result. Batch axes (all but the last two) broadcast NumPy-style.
/// </summary>
public sealed class MatMulOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Bool("transpose_a", false), AttributeSpec.Bool("transpose_b", false)];

    public MatMulOp()
        : base("MatMul", 1, 2, 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = Contraction.CommonNumericType(context);
        var a = context.InputShape(0);
        var b = context.InputShape(1);
        if (!a.IsRankStatic || !b.IsRankStatic)
        {
            context.SetOutput(0, type, PartialShape.DynamicRank);
            return;
        }

        context.Require(a.Rank >= 1 && b.Rank >= 1, $"operands must have rank 1 or more, got {a.ToDisplayString()} and {b.ToDisplayString()}");
        var left = AsMatrices(a, context.Attributes.GetBool("transpose_a"), row: true);
        var right = AsMatrices(b, context.Attributes.GetBool("transpose_b"), row: false);
        context.Require(left[^1].IsCompatible(right[^2]),
            $"the inner dimensions of {a.ToDisplayString()} and {b.ToDisplayString()} differ (transpose_a={context.Attributes.GetBool("transpose_a")}, transpose_b={context.Attributes.GetBool("transpose_b")})");
        var batch = Broadcasting.Numpy(PartialShape.Of(left[..^2]), PartialShape.Of(right[..^2]))
            ?? throw context.Error($"the batch dimensions of {a.ToDisplayString()} and {b.ToDisplayString()} do not broadcast");

        var dims = batch.ToList();
        if (a.Rank > 1)
        {
            dims.Add(left[^2]);
        }

        if (b.Rank > 1)
        {
            dims.Add(right[^1]);
        }

        context.SetOutput(0, type, PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        var aShape = AsMatrices(a.PartialShape, false, row: true).Select(d => d.Length).ToArray();
        var bShape = AsMatrices(b.PartialShape, false, row: false).Select(d => d.Length).ToArray();

        // Strides of the matrices as the product reads them: transposing swaps the last two strides.
        var aStrides = ShapeMath.Strides(aShape);
        var bStrides = ShapeMath.Strides(bShape);
        if (a.Rank > 1 && context.Attributes.GetBool("transpose_a"))
        {
            (aShape[^1], aShape[^2]) = (aShape[^2], aShape[^1]);
            (aStrides[^1], aStrides[^2]) = (aStrides[^2], aStrides[^1]);
        }

        if (b.Rank > 1 && context.Attributes.GetBool("transpose_b"))
        {
            (bShape[^1], bShape[^2]) = (bShape[^2], bShape[^1]);
            (bStrides[^1], bStrides[^2]) = (bStrides[^2], bStrides[^1]);
        }

        // As an einsum over labels (batch..., m, n, k): out[batch, m, n] = Σk a[batch, m, k]·b[batch, k, n].
        var batch = Broadcasting.Numpy(aShape[..^2], bShape[..^2]);
        var rank = batch.Length;
        long[] sizes = [.. batch, aShape[^2], bShape[^1], aShape[^1]];
        var strideA = new long[rank + 3];
        var strideB = new long[rank + 3];
        var strideOut = ShapeMath.Strides(sizes.AsSpan(0, rank + 2));
        Array.Resize(ref strideOut, rank + 3);
        for (var i = 0; i < rank; i++)
        {
            var ai = i - (rank - (aShape.Length - 2));
            var bi = i - (rank - (bShape.Length - 2));
            strideA[i] = ai >= 0 && aShape[ai] != 1 ? aStrides[ai] : 0;
            strideB[i] = bi >= 0 && bShape[bi] != 1 ? bStrides[bi] : 0;
        }

        (strideA[rank], strideA[rank + 2]) = (aStrides[^2], aStrides[^1]);
        (strideB[rank + 1], strideB[rank + 2]) = (bStrides[^1], bStrides[^2]);
        var product = Contraction.Run(context.OutputType(0), sizes, [a, b], [strideA, strideB], strideOut, context.OutputShape(0));
        return [product];
    }

    /// <summary>The operand as a stack of matrices: 1-D becomes a row (A) or a column (B).</summary>
    private static Dimension[] AsMatrices(PartialShape shape, bool transpose, bool row)
    {
        if (shape.Rank == 1)
        {
            return row ? [1, shape[0]] : [shape[0], 1];
        }

        var dims = shape.ToArray();
        if (transpose)
        {
            (dims[^1], dims[^2]) = (dims[^2], dims[^1]);
        }

        return dims;
    }
}

/// <summary>
/// Einsum-7: the Einstein summation given by <c>equation</c> ("ij,jk->ik"; labels are letters,
/// case-sensitive, "..." stands for broadcast axes). Without "->" (implicit mode) the output is the
/// ellipsis axes followed by the labels that occur once, in alphabetical order (capitals first).
/// A label repeated within one input takes the diagonal; labels absent from the output are summed.
/// </summary>
public sealed class EinsumOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("equation")];

    public EinsumOp()
        : base("Einsum", 7, 1, int.MaxValue)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = Contraction.CommonNumericType(context);
        var equation = EinsumEquation.Parse(context.Attributes.GetString("equation"), context.Error);
        context.Require(equation.Inputs.Count == context.InputCount,
            $"the equation has {equation.Inputs.Count} input subscripts but the op has {context.InputCount} inputs");

        var labels = new Dictionary<char, Dimension>();
        PartialShape? ellipsis = PartialShape.Scalar;
        for (var i = 0; i < context.InputCount; i++)
        {
            var subscript = equation.Inputs[i];
            var shape = context.InputShape(i);
            if (!shape.IsRankStatic)
            {
                ellipsis = subscript.Contains(EinsumEquation.Ellipsis) ? null : ellipsis;
                continue;
            }

            var ellipsisRank = shape.Rank - (subscript.Length - (subscript.Contains(EinsumEquation.Ellipsis) ? 1 : 0));
            context.Require(ellipsisRank == 0 || (ellipsisRank > 0 && subscript.Contains(EinsumEquation.Ellipsis)),
                $"input {i} has rank {shape.Rank}, which does not match its subscript '{EinsumEquation.Format(subscript)}'");
            var axis = 0;
            foreach (var label in subscript)
            {
                if (label == EinsumEquation.Ellipsis)
                {
                    var part = PartialShape.Of(shape.Skip(axis).Take(ellipsisRank));
                    ellipsis = ellipsis is null ? null : Broadcasting.Numpy(ellipsis, part)
                        ?? throw context.Error($"the ellipsis axes {part.ToDisplayString()} of input {i} do not broadcast with {ellipsis.ToDisplayString()}");
                    axis += ellipsisRank;
                    continue;
                }

                var dim = shape[axis++];
                labels[label] = labels.TryGetValue(label, out var seen)
                    ? seen.Merge(dim) ?? throw context.Error($"label '{label}' has length {seen} and {dim}")
                    : dim;
            }
        }

        var output = new List<Dimension>();
        foreach (var label in equation.Output)
        {
            if (label == EinsumEquation.Ellipsis)
            {
                if (ellipsis is null)
                {
                    context.SetOutput(0, type, PartialShape.DynamicRank);
                    return;
                }

                output.AddRange(ellipsis);
            }
            else
            {
                output.Add(labels.GetValueOrDefault(label, Dimension.Dynamic));
            }
        }

        context.SetOutput(0, type, PartialShape.Of(output));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var equation = EinsumEquation.Parse(context.Attributes.GetString("equation"), context.Error);
        var inputs = context.Inputs;
        var ellipsisRank = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            ellipsisRank = Math.Max(ellipsisRank, inputs[i].Rank - equation.Inputs[i].Count(c => c != EinsumEquation.Ellipsis));
        }

        // Every axis of every input gets a label id: letters by name, ellipsis axes right-aligned as
        // ids 0..ellipsisRank−1 (so shorter ellipses broadcast like NumPy).
        var ids = new Dictionary<char, int>();
        var sizes = new List<long>(Enumerable.Repeat(1L, ellipsisRank));
        var axisLabels = new int[inputs.Count][];
        for (var i = 0; i < inputs.Count; i++)
        {
            axisLabels[i] = ExpandLabels(equation.Inputs[i], inputs[i].Rank, ellipsisRank, ids, sizes);
            for (var axis = 0; axis < inputs[i].Rank; axis++)
            {
                var label = axisLabels[i][axis];
                var length = inputs[i].Shape[axis];
                if (length != 1 && sizes[label] != 1 && sizes[label] != length)
                {
                    throw context.Error($"axis {axis} of input {i} has length {length}, another axis of its label has {sizes[label]}");
                }

                sizes[label] = Math.Max(sizes[label], length);
            }
        }

        var strides = new long[inputs.Count][];
        for (var i = 0; i < inputs.Count; i++)
        {
            strides[i] = new long[sizes.Count];
            var inputStrides = ShapeMath.Strides(inputs[i].Shape);
            for (var axis = 0; axis < inputs[i].Rank; axis++)
            {
                // Summing the strides of a repeated label walks the diagonal; length-1 axes broadcast.
                var label = axisLabels[i][axis];
                strides[i][label] += inputs[i].Shape[axis] == 1 ? 0 : inputStrides[axis];
            }
        }

        var outputLabels = ExpandLabels(equation.Output, equation.Output.Count(c => c != EinsumEquation.Ellipsis) + ellipsisRank, ellipsisRank, ids, sizes);
        var outputStrides = ShapeMath.Strides(outputLabels.Select(l => sizes[l]).ToArray());
        var strideOut = new long[sizes.Count];
        for (var axis = 0; axis < outputLabels.Length; axis++)
        {
            strideOut[outputLabels[axis]] = outputStrides[axis];
        }

        return [Contraction.Run(context.OutputType(0), sizes.ToArray(), inputs, strides, strideOut, context.OutputShape(0))];
    }

    /// <summary>The label id of each axis of a subscript for a tensor of the given rank (new letters get new ids).</summary>
    private static int[] ExpandLabels(string subscript, int rank, int ellipsisRank, Dictionary<char, int> ids, List<long> sizes)
    {
        var result = new List<int>(rank);
        var ownEllipsis = rank - subscript.Count(c => c != EinsumEquation.Ellipsis);
        foreach (var label in subscript)
        {
            if (label == EinsumEquation.Ellipsis)
            {
                result.AddRange(Enumerable.Range(ellipsisRank - ownEllipsis, ownEllipsis));
                continue;
            }

            if (!ids.TryGetValue(label, out var id))
            {
                id = sizes.Count;
                ids[label] = id;
                sizes.Add(1);
            }

            result.Add(id);
        }

        return [.. result];
    }
}

/// <summary>
/// A parsed einsum equation. Each subscript is a string of label letters in which the ellipsis
/// "..." is replaced by the single character <see cref="Ellipsis"/>; implicit outputs are spelled out.
/// </summary>
public sealed record EinsumEquation(IReadOnlyList<string> Inputs, string Output)
{
    public const char Ellipsis = '.';

    public static EinsumEquation Parse(string equation, Func<string, Exception> error)
    {
        var arrow = equation.IndexOf("->", StringComparison.Ordinal);
        var left = arrow < 0 ? equation : equation[..arrow];
        var inputs = left.Split(',').Select(s => Subscript(s, equation, error)).ToArray();
        string output;
        if (arrow >= 0)
        {
            output = Subscript(equation[(arrow + 2)..], equation, error);
            foreach (var label in output.Where(c => c != Ellipsis))
            {
                if (output.Count(c => c == label) > 1 || !inputs.Any(s => s.Contains(label)))
                {
                    throw error($"output label '{label}' of equation '{equation}' must occur once in the output and in some input");
                }
            }

            if (output.Contains(Ellipsis) && !inputs.Any(s => s.Contains(Ellipsis)))
            {
                throw error($"the output of equation '{equation}' has an ellipsis but no input has one");
            }
        }
        else
        {
            // Implicit mode: ellipsis axes first, then the labels used exactly once, sorted (capitals first).
            var letters = string.Concat(inputs).Where(c => c != Ellipsis).ToArray();
            var once = letters.Where(c => letters.Count(l => l == c) == 1).Order();
            output = (inputs.Any(s => s.Contains(Ellipsis)) ? Ellipsis.ToString() : string.Empty) + string.Concat(once);
        }

        return new EinsumEquation(inputs, output);
    }

    /// <summary>A subscript as written ("..." for the ellipsis).</summary>
    public static string Format(string subscript) => subscript.Replace(Ellipsis.ToString(), "...", StringComparison.Ordinal);

    private static string Subscript(string text, string equation, Func<string, Exception> error)
    {
        var compact = text.Replace("...", Ellipsis.ToString(), StringComparison.Ordinal);
        var valid = compact.All(c => char.IsAsciiLetter(c) || c == Ellipsis) && compact.Count(c => c == Ellipsis) <= 1;
        return valid ? compact : throw error($"subscript '{text}' of equation '{equation}' must be letters with at most one '...'");
    }
}

/// <summary>
/// The kernel MatMul and Einsum share: a sum of products over a grid of labels. Each operand and
/// the output read the grid through per-label strides (0 where a label does not index it).
/// </summary>
internal static class Contraction
{
    /// <summary>The element type both (or all) operands share; they must be numbers.</summary>
    public static ElementType CommonNumericType(InferenceContext context)
    {
        var type = ElementType.Dynamic;
        for (var i = 0; i < context.InputCount; i++)
        {
            var inputType = context.InputType(i);
            context.Require(inputType.IsNumeric() || inputType == ElementType.Dynamic, $"does not accept {inputType.IrName()} input");
            context.Require(type == ElementType.Dynamic || inputType == ElementType.Dynamic || inputType == type,
                $"input {i} is {inputType.IrName()}, the others are {type.IrName()}");
            type = inputType == ElementType.Dynamic ? type : inputType;
        }

        return type;
    }

    /// <summary>
    /// out[offsetOut(g)] += Π operands[j][offset_j(g)] for every grid point g, where offsets are
    /// Σ g[label]·stride[label]. Floats accumulate in double, integers in wrapping 64-bit arithmetic.
    /// </summary>
    public static Tensor Run(ElementType type, long[] sizes, IReadOnlyList<Tensor> operands, long[][] strides, long[] strideOut, long[] outputShape)
    {
        var count = ShapeMath.ElementCount(outputShape);
        if (type.IsFloatingPoint())
        {
            var values = operands.Select(o => o.ToDoubleArray()).ToArray();
            return Tensor.FromDoubles(type, Accumulate(sizes, values, strides, strideOut, count), outputShape);
        }

        var integers = operands.Select(o => o.ToInt64Array()).ToArray();
        return Tensor.FromInt64s(type, Accumulate(sizes, integers, strides, strideOut, count), outputShape);
    }

    private static T[] Accumulate<T>(long[] sizes, T[][] operands, long[][] strides, long[] strideOut, long count)
        where T : INumber<T>
    {
        var result = new T[count];
        if (ShapeMath.ElementCount(sizes) == 0)
        {
            return result;
        }

        var rank = sizes.Length;
        var index = new long[rank];
        var offsets = new long[operands.Length];
        long outOffset = 0;
        while (true)
        {
            var product = operands[0][offsets[0]];
            for (var j = 1; j < operands.Length; j++)
            {
                product *= operands[j][offsets[j]];
            }

            result[outOffset] += product;

            // Advance the grid index like an odometer, keeping every offset in step.
            var axis = rank - 1;
            for (; axis >= 0; axis--)
            {
                index[axis]++;
                outOffset += strideOut[axis];
                for (var j = 0; j < operands.Length; j++)
                {
                    offsets[j] += strides[j][axis];
                }

                if (index[axis] < sizes[axis])
                {
                    break;
                }

                outOffset -= strideOut[axis] * sizes[axis];
                for (var j = 0; j < operands.Length; j++)
                {
                    offsets[j] -= strides[j][axis] * sizes[axis];
                }

                index[axis] = 0;
            }

            if (axis < 0)
            {
                return result;
            }
        }
    }
}

/// <summary>The matrix-product ops.</summary>
public static class MatrixOps
{
    public static readonly OpDefinition MatMul = new MatMulOp();
    public static readonly OpDefinition Einsum = new EinsumOp();
}
