using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>Cast and CastLike become Convert and ConvertLike.</summary>
public static class CastTranslators
{
    public static IReadOnlyList<Output> Cast(OnnxNodeContext context)
    {
        var target = OnnxTensors.ToElementType((int)context.GetInt("to"));
        var x = context.Input(0);
        if (x.Type == ElementType.String || target == ElementType.String)
        {
            throw context.Error("casts from or to strings are not supported");
        }

        return [context.Graph.Make(TypeOps.Convert, [x], ("destination_type", target))];
    }

    public static IReadOnlyList<Output> CastLike(OnnxNodeContext context)
    {
        var x = context.Input(0);
        var like = context.Input(1);
        if (x.Type == ElementType.String || like.Type == ElementType.String)
        {
            throw context.Error("casts from or to strings are not supported");
        }

        return [context.Graph.Make(TypeOps.ConvertLike, [x, like])];
    }
}
