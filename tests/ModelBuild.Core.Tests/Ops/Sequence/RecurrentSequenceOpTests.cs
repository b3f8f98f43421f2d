using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of the recurrent sequence ops.</summary>
public sealed class RecurrentSequenceOpTests
{
    private const int Batch = 3;
    private const int InputSize = 5;
    private const int Hidden = 2;

    [Fact]
    public void Sequence_op_infers_dynamic_dims_and_rejects_inconsistent_weights()
    {
        var x = Node.CreateParameter(ElementType.F32, PartialShape.DynamicRank, "x").Output();
        var h = Node.CreateParameter(ElementType.F32, PartialShape.Of(Dimension.Dynamic, 2, Hidden), "h").Output();
        var lengths = Node.CreateParameter(ElementType.I64, PartialShape.Static(Batch), "lengths").Output();
        var w = Node.CreateParameter(ElementType.F32, PartialShape.Static(2, Hidden, InputSize), "w").Output();
        var r = Node.CreateParameter(ElementType.F32, PartialShape.Static(2, Hidden, Hidden), "r").Output();
        var b = Node.CreateParameter(ElementType.F32, PartialShape.Static(2, Hidden), "b").Output();
        var attributes = new Dictionary<string, object> { ["hidden_size"] = (long)Hidden, ["direction"] = "bidirectional" };

        var node = Node.Create(SequenceOps.RnnSequence, [x, h, lengths, w, r, b], attributes);

        Assert.Equal(PartialShape.Of(Batch, 2, Dimension.Dynamic, Hidden), node.Outputs[0].Shape);
        Assert.Equal(PartialShape.Static(Batch, 2, Hidden), node.Outputs[1].Shape);
        var wrongR = Node.CreateParameter(ElementType.F32, PartialShape.Static(2, Hidden, Hidden + 1), "r2").Output();
        var error = Assert.Throws<InferenceException>(() => Node.Create(SequenceOps.RnnSequence, [x, h, lengths, w, wrongR, b], attributes));
        Assert.Contains("R has shape", error.Message, StringComparison.Ordinal);
    }
}
