using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of Loop.</summary>
public sealed class LoopTests
{
    [Fact]
    public void Loop_knows_its_iteration_count_only_for_a_constant_trip_count_and_an_always_true_condition()
    {
        var iteration = Node.CreateParameter(ElementType.I64, PartialShape.Scalar, "i");
        var value = Node.CreateParameter(ElementType.F32, PartialShape.Static(2), "v");
        var alwaysTrue = Node.CreateResult(Node.CreateConstant(Tensor.FromArray([true], [])).Output());
        var body = new Model("body", [iteration, value], [alwaysTrue, Node.CreateResult(value.Output())]);
        var description = new Body(body, [new BodyInput(2, 1)], [new ConcatBodyOutput(1, 0, 0, 0, 1, 2, -1)])
        {
            CurrentIterationParameter = 0,
            ExecutionConditionResult = 0,
        };
        var x = Node.CreateParameter(ElementType.F32, PartialShape.Static(2), "x").Output();
        var condition = Node.CreateConstant(Tensor.FromArray([true], [])).Output();
        Output Trips(long? count) => count is { } n
            ? Node.CreateConstant(Tensor.FromArray([n], [])).Output()
            : Node.CreateParameter(ElementType.I64, PartialShape.Scalar, "trips").Output();

        var known = Node.Create(InfrastructureOps.Loop, [Trips(3), condition, x], bodies: [description]);
        var unbounded = Node.Create(InfrastructureOps.Loop, [Trips(-1), condition, x], bodies: [description]);
        var runtime = Node.Create(InfrastructureOps.Loop, [Trips(null), condition, x], bodies: [description]);

        Assert.Equal(PartialShape.Static(6), known.Outputs[0].Shape);
        Assert.Equal(PartialShape.Of(Dimension.Dynamic), unbounded.Outputs[0].Shape);
        Assert.Equal(PartialShape.Of(Dimension.Dynamic), runtime.Outputs[0].Shape);
        var missingPort = new Body(body, [], [new BodyOutput(1, 0)]) { CurrentIterationParameter = 0, ExecutionConditionResult = 0 };
        var error = Assert.Throws<InferenceException>(() => Node.Create(InfrastructureOps.Loop, [Trips(3), condition, x], bodies: [missingPort]));
        Assert.Contains("body Parameter 1 is not fed", error.Message, StringComparison.Ordinal);
    }
}
