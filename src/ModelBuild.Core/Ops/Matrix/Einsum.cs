using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

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
        : base("Einsum", version: 7, minInputs: 1, maxInputs: int.MaxValue)
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

    /// <summary>At most every combination of the operands' elements.</summary>
    public override long EvaluationWork(EvaluationContext context) =>
        EvaluationBudget.Product([.. context.Inputs.Select(i => Math.Max(1, i.ElementCount))]);

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

public static partial class MatrixOps
{
    public static readonly OpDefinition Einsum = new EinsumOp();
}
