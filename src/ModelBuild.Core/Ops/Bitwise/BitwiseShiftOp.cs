using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>BitwiseLeftShift-15 and BitwiseRightShift-15: integer shifts with NumPy broadcasting (arithmetic right shift for signed types).</summary>
public sealed class BitwiseShiftOp : BinaryElementwiseOp
{
    private readonly bool _left;

    public BitwiseShiftOp(bool left)
        : base(left ? "BitwiseLeftShift" : "BitwiseRightShift", version: 15) => _left = left;

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        var shape = context.OutputShape(0);
        var mapA = Broadcasting.IndexMap(shape, a.Shape);
        var mapB = Broadcasting.IndexMap(shape, b.Shape);
        var values = a.ToInt64Array();
        var shifts = b.ToInt64Array();
        var bits = a.Type.BitWidth();
        var result = new long[mapA.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var value = values[mapA[i]];
            var shift = shifts[mapB[i]];
            if (shift < 0)
            {
                throw context.Error($"shift amount {shift} is negative");
            }

            // Shifting by the bit width or more leaves nothing (or only the sign, shifting right).
            result[i] = shift >= bits
                ? (_left || !a.Type.IsSigned() || value >= 0 ? 0 : -1)
                : _left ? value << (int)shift
                : a.Type == ElementType.U64 ? (long)((ulong)value >> (int)shift) : value >> (int)shift;
        }

        return [Tensor.FromInt64s(a.Type, result, shape)];
    }

    protected override void CheckInputType(InferenceContext context, ElementType type) =>
        context.Require(type.IsInteger() || type == ElementType.Dynamic, $"expects integers, not {type.IrName()}");
}
