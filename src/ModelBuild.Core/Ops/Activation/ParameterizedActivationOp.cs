using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Activations whose parameters are inputs (PReLU slope, HardSigmoid alpha/beta, Selu alpha/lambda,
/// Swish beta). The output has the first input's type and shape.
/// </summary>
public sealed class ParameterizedActivationOp : OpDefinition
{
    private readonly Func<double, double[], double> _function;
    private readonly bool _broadcastSecondInput;

    /// <param name="function">f(x, parameters): parameters are the scalar inputs after x, in order.</param>
    /// <param name="broadcastSecondInput">True for PReLU, whose slope broadcasts against x instead of being a scalar.</param>
    public ParameterizedActivationOp(string type, int version, int minInputs, int maxInputs, Func<double, double[], double> function, bool broadcastSecondInput = false)
        : base(type, version, minInputs, maxInputs)
    {
        _function = function;
        _broadcastSecondInput = broadcastSecondInput;
    }

    public override void Infer(InferenceContext context)
    {
        var type = context.InputType(0);
        context.Require(type.IsFloatingPoint() || type == ElementType.Dynamic || (_broadcastSecondInput && type.IsNumeric()),
            $"does not accept {type.IrName()} input");
        for (var i = 1; i < context.InputCount; i++)
        {
            context.Require(context.InputType(i) == type || context.InputType(i) == ElementType.Dynamic || type == ElementType.Dynamic,
                $"input {i} is {context.InputType(i).IrName()}, expected {type.IrName()}");
        }

        if (_broadcastSecondInput && !IsChannelSlope(context.InputShape(0), context.InputShape(1)))
        {
            var broadcast = Broadcasting.Numpy(context.InputShape(0), context.InputShape(1));
            context.Require(broadcast is not null && broadcast.IsCompatible(context.InputShape(0)),
                $"the slope {context.InputShape(1).ToDisplayString()} does not broadcast to the data {context.InputShape(0).ToDisplayString()}");
        }

        context.SetOutput(0, type, context.InputShape(0));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        if (_broadcastSecondInput)
        {
            return [EvaluateWithSlope(x, context.Input(1))];
        }

        var parameters = new double[context.InputCount - 1];
        for (var i = 1; i < context.InputCount; i++)
        {
            parameters[i - 1] = context.Input(i).GetDouble(0);
        }

        return [UnaryOp.MapDoubles(x, v => _function(v, parameters))];
    }

    // A 1-D slope matching the channel axis (1) but not the last axis is per channel, as OpenVINO's PReLU specifies.
    private static bool IsChannelSlope(PartialShape data, PartialShape slope) =>
        data.IsRankStatic && slope.IsRankStatic && slope.Rank == 1 && data.Rank >= 2
        && slope[0].IsStatic && data[1] == slope[0] && data[^1] != slope[0];

    // PReLU's slope is a 1-D per-channel tensor (channel = axis 1) or broadcasts NumPy-style against x.
    private Tensor EvaluateWithSlope(Tensor x, Tensor slope)
    {
        var values = x.ToDoubleArray();
        var slopes = slope.ToDoubleArray();
        var result = new double[values.Length];
        int[] map;
        if (IsChannelSlope(x.PartialShape, slope.PartialShape))
        {
            var channelShape = new long[x.Rank];
            Array.Fill(channelShape, 1L);
            channelShape[1] = slope.Shape[0];
            map = Broadcasting.IndexMap(x.Shape, channelShape);
        }
        else
        {
            map = Broadcasting.IndexMap(x.Shape, slope.Shape);
        }

        for (var i = 0; i < values.Length; i++)
        {
            result[i] = _function(values[i], [slopes[map[i]]]);
        }

        return Tensor.FromDoubles(x.Type, result, x.Shape);
    }
}
