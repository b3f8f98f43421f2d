using System.Numerics;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

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
