using ModelBuild.Core.Inspection;
using Xunit;

namespace ModelBuild.Core.Tests.Inspection;

/// <summary>What <c>modelconvert inspect</c> says about the releases a model's IR loads in.</summary>
public sealed class OpenVinoCompatibilityTests
{
    private static string Node(string test) => Path.Combine(BackendTestSuites.DataRoot, "node", test, "model.onnx");

    [Fact]
    public void A_model_of_opset1_ops_loads_in_the_oldest_release()
    {
        var compatibility = ModelInspector.Inspect(Node("test_relu")).OpenVino;

        Assert.Equal("2022.1", compatibility.OldestRelease!.Name);
        Assert.Empty(compatibility.DecidingOps);
    }

    [Fact]
    public void The_newest_op_decides_and_a_target_can_write_it_for_older_releases()
    {
        var compatibility = ModelInspector.Inspect(Node("test_argmax_default_axis_example")).OpenVino;

        Assert.Equal("2023.0", compatibility.OldestRelease!.Name);
        Assert.Equal(["TopK-opset11"], compatibility.DecidingOps);
        Assert.Equal("2022.1", compatibility.OldestTarget!.Name);
    }

    [Fact]
    public void A_node_no_older_release_can_express_keeps_the_oldest_target_at_its_first_release()
    {
        var compatibility = ModelInspector.Inspect(Node("test_gridsample")).OpenVino;

        Assert.Equal("2022.2", compatibility.OldestRelease!.Name);
        Assert.Equal("2022.2", compatibility.OldestTarget!.Name);
    }

    [Fact]
    public void A_model_that_does_not_convert_says_so()
    {
        var compatibility = ModelInspector.Inspect(Node("test_bernoulli")).OpenVino;

        Assert.Null(compatibility.OldestRelease);
        Assert.Contains("MB1004", compatibility.Problem);
    }

    [Fact]
    public void A_used_zero_sized_input_needs_the_first_release_that_takes_it_as_input_and_as_target()
    {
        // tril_zero's input x is [3,0,5]: releases before 2024.0 refuse it at load, and a target before it is MB2009.
        var compatibility = ModelInspector.Inspect(Node("test_tril_zero")).OpenVino;

        Assert.Equal("2024.0", compatibility.OldestRelease!.Name);
        Assert.Contains("zero-sized 'x'", compatibility.DecidingOps);
        Assert.Equal("2024.0", compatibility.OldestTarget!.Name);
    }

    [Fact]
    public void An_unused_zero_sized_input_loads_from_2024_0_but_an_older_target_leaves_it_out()
    {
        // The empty axes of reduce_sum_empty_axes_input_noop are folded away: nothing uses the [0] input.
        var compatibility = ModelInspector.Inspect(Node("test_reduce_sum_empty_axes_input_noop_example")).OpenVino;

        Assert.Equal("2024.0", compatibility.OldestRelease!.Name);
        Assert.Equal("2022.1", compatibility.OldestTarget!.Name);
    }
}
