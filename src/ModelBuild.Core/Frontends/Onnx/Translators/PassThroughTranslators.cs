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

    /// <summary>
    /// Dropout-1, and Dropout-7 and later: at inference it returns its input; the optional mask
    /// output is all true. Only a constant true <c>training_mode</c> input (opset 12) is refused.
    /// </summary>
    public static IReadOnlyList<Output> DropoutV1(OnnxNodeContext context)
    {
        var x = context.Input(0);
        RejectTraining(context, TrainingModeInput(context));
        return Inference(context, x);
    }

    /// <summary>Dropout in opsets 2 to 6: <c>is_test=0</c> (the default) means training, which is refused.</summary>
    public static IReadOnlyList<Output> DropoutV2(OnnxNodeContext context)
    {
        var x = context.Input(0);
        RejectTraining(context, TrainingModeInput(context) || context.GetInt("is_test", 0) == 0);
        return Inference(context, x);
    }

    public static IReadOnlyList<Output> DropoutV7(OnnxNodeContext context) => DropoutV1(context);

    private static bool TrainingModeInput(OnnxNodeContext context) =>
        context.HasInput(2) ? context.RequireConstantInput(2, "training_mode").GetInt64(0) != 0 : false;

    private static void RejectTraining(OnnxNodeContext context, bool training)
    {
        if (training)
        {
            throw context.Error("training-mode Dropout is random and cannot be converted for inference");
        }
    }

    private static IReadOnlyList<Output> Inference(OnnxNodeContext context, Output x)
    {
        if (!context.IsOutputUsed(1))
        {
            return [x];
        }

        var b = context.Graph;
        var mask = b.Broadcast(b.Constant(Tensor.FromArray([true], [])), b.ShapeOf(x));
        return [x, mask];
    }
}
