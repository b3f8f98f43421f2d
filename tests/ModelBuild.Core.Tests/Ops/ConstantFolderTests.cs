using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Ops;

public sealed class ConstantFolderTests
{
    [Fact]
    public void A_constant_feeding_a_node_with_a_runtime_input_is_never_read()
    {
        var table = new CountingTensorData(new byte[64 * 4]);
        var embedding = Node.CreateConstant(ElementType.F32, [64, 1], table);
        var ids = Node.CreateParameter(ElementType.I64, PartialShape.Of(3), "ids");
        var axis = Node.CreateConstant(Tensor.FromArray([0L]));

        var gather = Node.Create(MovementOps.Gather, [embedding.Output(), ids.Output(), axis.Output()]);

        Assert.Null(ConstantFolder.TryFold(gather, EvaluationBudget.Unlimited()));
        Assert.Equal(0, table.Reads);
    }

    [Fact]
    public void A_node_of_small_constants_folds()
    {
        var table = new CountingTensorData([.. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(2.5f)]);
        var data = Node.CreateConstant(ElementType.F32, [2], table);
        var indices = Node.CreateConstant(Tensor.FromArray([1L], 1));
        var axis = Node.CreateConstant(Tensor.FromArray([0L]));

        var folded = ConstantFolder.TryFold(Node.Create(MovementOps.Gather, [data.Output(), indices.Output(), axis.Output()]), EvaluationBudget.Unlimited());

        Assert.Equal([2.5f], Assert.Single(folded!).Node.Constant!.GetValue().As<float>());
        Assert.True(table.Reads > 0);
    }

    private sealed class CountingTensorData(byte[] bytes) : TensorData
    {
        public int Reads { get; private set; }

        public override long Length => bytes.Length;

        public override void Read(long offset, Span<byte> destination)
        {
            Reads++;
            bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
        }
    }
}
