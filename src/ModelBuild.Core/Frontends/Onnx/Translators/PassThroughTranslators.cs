using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>Ops that do nothing at inference time: Identity, and Dropout outside training.</summary>
public static class PassThroughTranslators
{
    /// <summary>Identity passes any value through: tensors, and sequences and optionals too.</summary>
    public static IReadOnlyList<Output> Identity(OnnxNodeContext context)
    {
        var value = context.InputValue(0);
        if (value is OnnxTensor tensor)
        {
            return [tensor.Value];
        }

        context.BindOutput(0, value);
        return [];
    }

    /// <summary>Dropout at inference returns its input; the optional mask output is all true.</summary>
    public static IReadOnlyList<Output> Dropout(OnnxNodeContext context)
    {
        var x = context.Input(0);
        var trainingMode = context.HasInput(2) ? context.RequireConstantInput(2, "training_mode").GetInt64(0) != 0 : false;
        if (trainingMode || (context.Opset < 7 && context.GetInt("is_test", 0) == 0 && context.Opset > 1))
        {
            throw context.Error("training-mode Dropout is random and cannot be converted for inference");
        }

        if (!context.IsOutputUsed(1))
        {
            return [x];
        }

        var b = context.Graph;
        var mask = b.Broadcast(b.Constant(Tensor.FromArray([true], [])), b.ShapeOf(x));
        return [x, mask];
    }
}
