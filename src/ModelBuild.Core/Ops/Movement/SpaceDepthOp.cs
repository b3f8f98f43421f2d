using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// DepthToSpace-1 and SpaceToDepth-1: move <c>block_size</c>^k blocks between the channel axis and
/// the k spatial axes of an [N, C, D1, …, Dk] tensor. <c>blocks_first</c> puts the block offsets in
/// front of the channels (ONNX DCR), <c>depth_first</c> after them (ONNX CRD).
/// </summary>
public sealed class SpaceDepthOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("block_size", 1), AttributeSpec.String("mode")];
    private readonly bool _toSpace;

    public SpaceDepthOp(bool toSpace)
        : base(toSpace ? "DepthToSpace" : "SpaceToDepth", version: 1, minInputs: 1, maxInputs: 1) => _toSpace = toSpace;

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var block = context.Attributes.GetInt("block_size");
        var mode = context.Attributes.GetString("mode");
        context.Require(block >= 1, $"block_size must be positive, not {block}");
        context.Require(mode is "blocks_first" or "depth_first", $"mode '{mode}' is not blocks_first or depth_first");
        var data = context.InputShape(0);
        if (!data.IsRankStatic)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        context.Require(data.Rank >= 3, $"data must have rank 3 or more, not {data.Rank}");
        var spatial = data.Rank - 2;
        var blockVolume = (long)Math.Pow(block, spatial);
        var dims = data.ToArray();
        if (_toSpace)
        {
            context.Require(!dims[1].IsStatic || dims[1].Length % blockVolume == 0, $"channels {dims[1]} are not divisible by block_size^{spatial} = {blockVolume}");
            dims[1] = dims[1].IsStatic ? dims[1].Length / blockVolume : dims[1].FloorDivide(blockVolume);
            for (var i = 2; i < dims.Length; i++)
            {
                dims[i] *= block;
            }
        }
        else
        {
            for (var i = 2; i < dims.Length; i++)
            {
                context.Require(!dims[i].IsStatic || dims[i].Length % block == 0, $"spatial dimension {dims[i]} is not divisible by block_size {block}");
                dims[i] = dims[i].IsStatic ? dims[i].Length / block : dims[i].FloorDivide(block);
            }

            dims[1] *= blockVolume;
        }

        context.SetOutput(0, context.InputType(0), PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var shape = context.OutputShape(0);
        var block = context.Attributes.GetInt("block_size");
        var blocksFirst = context.Attributes.GetString("mode") == "blocks_first";
        var spatial = data.Rank - 2;

        // Both ops are a reshape to a rank 2 + 2k view, a transpose, and a reshape to the output.
        long[] view;
        int[] order;
        if (_toSpace)
        {
            var channels = shape[1];
            var blocks = Enumerable.Repeat(block, spatial);
            view = [data.Shape[0], .. blocksFirst ? blocks.Append(channels) : blocks.Prepend(channels), .. data.Shape.Skip(2)];

            // Output view [N, C', D1, b, D2, b, ...].
            var channelAxis = blocksFirst ? spatial + 1 : 1;
            var firstBlockAxis = blocksFirst ? 1 : 2;
            order = [0, channelAxis, .. Enumerable.Range(0, spatial).SelectMany(k => new[] { spatial + 2 + k, firstBlockAxis + k })];
        }
        else
        {
            view = [data.Shape[0], data.Shape[1], .. data.Shape.Skip(2).SelectMany(d => new[] { d / block, block })];
            var blockAxes = Enumerable.Range(0, spatial).Select(k => 3 + 2 * k);
            var spatialAxes = Enumerable.Range(0, spatial).Select(k => 2 + 2 * k);
            order = [0, .. blocksFirst ? blockAxes.Append(1) : blockAxes.Prepend(1), .. spatialAxes];
        }

        var map = IndexMaps.Transpose(view, order, out _);
        return [data.Remap(shape, map)];
    }
}
