using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Verification;

/// <summary>What <see cref="InputGenerator"/> needs to know of one model input: its type, concrete shape, and for integers how the graph uses it.</summary>
public sealed record GeneratedInput(string Name, ElementType Type, long[] Shape, IntegerInputUse? Use);

/// <summary>
/// Random input values, reproducible from a seed: floats uniform in [-1, 1), booleans fair, integers the graph uses
/// as indices uniform over the indexed axis, embedding_bag offsets as non-decreasing rows from 0, other integers in
/// [1, 10] (never 0, which a division by an input would trip on). Inputs whose values the graph cannot bound fail
/// with MB6001, naming the node that needs real values.
/// </summary>
public static class InputGenerator
{
    public static Tensor Generate(GeneratedInput input, Random random, string modelPath)
    {
        var count = ShapeMath.ElementCount(input.Shape);
        if (input.Type.IsFloatingPoint())
        {
            var values = new double[count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (random.NextDouble() * 2) - 1;
            }

            return Tensor.FromDoubles(input.Type, values, input.Shape);
        }

        if (input.Type == ElementType.Boolean)
        {
            var values = new bool[count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = random.Next(2) == 1;
            }

            return new Tensor(ElementType.Boolean, input.Shape, values);
        }

        if (!input.Type.IsInteger())
        {
            throw Unknown(input, $"its element type {input.Type.IrName()} has no generated values", modelPath);
        }

        var integers = input.Use switch
        {
            IntegerInputUse.Index { Limit: > 0 } index => Uniform(random, count, 0, index.Limit),
            IntegerInputUse.Index index => count == 0 ? [] : throw Unknown(input, $"it indexes an empty axis at node '{index.Node}'", modelPath),
            IntegerInputUse.Offsets offsets => Offsets(random, input.Shape, offsets.Limit),
            IntegerInputUse.ValueDependent dependent => throw Unknown(input, $"node '{dependent.Node}' needs real values: {dependent.Why}", modelPath),
            _ => Uniform(random, count, 1, 11),
        };
        return Tensor.FromInt64s(input.Type, integers, input.Shape);
    }

    private static long[] Uniform(Random random, long count, long low, long high)
    {
        var values = new long[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextInt64(low, high);
        }

        return values;
    }

    // Each row along the last axis starts a bag at 0 and never decreases, up to the number of indices.
    private static long[] Offsets(Random random, long[] shape, long limit)
    {
        var values = new long[ShapeMath.ElementCount(shape)];
        var rowLength = shape.Length == 0 ? 1 : (int)shape[^1];
        for (var row = 0; row + rowLength <= values.Length && rowLength > 0; row += rowLength)
        {
            var cuts = Uniform(random, rowLength - 1, 0, limit + 1);
            Array.Sort(cuts);
            cuts.CopyTo(values, row + 1);
        }

        return values;
    }

    private static ModelBuildException Unknown(GeneratedInput input, string why, string modelPath) =>
        new(DiagnosticCode.VerificationInputUnknown,
            $"Values for input '{input.Name}' cannot be generated: {why}. Give them with --inputs DIR (.npy or .pb files) or --input \"{input.Name}->...\".", modelPath);
}
