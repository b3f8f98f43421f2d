using ModelBuild.EndToEnd.Tests.Helpers;
using Xunit;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>`dotnet tool run modelconvert` on real models: every --input form, --output, FP16, verify, inspect, exit codes.</summary>
public sealed class ModelConvertToolTests(InstalledTool tool) : IClassFixture<InstalledTool>
{
    [Theory]
    [InlineData("shapes", "x[3,4,5],y[3,4,5]", "3,4,5", "f32")]
    [InlineData("dynamic", "x[?,4,-1],y[?,4,-1]", "?,4,?", "f32")]
    [InlineData("ranges", "x[1..3,4,5],y[1..3,4,5]", "1..3,4,5", "f32")]
    [InlineData("types", "x{f16}[3,4,5],y{f16}[3,4,5]", "3,4,5", "f16")]
    [InlineData("positional", "[2 4 5],[2 4 5]", "2,4,5", "f32")]
    public void Each_input_form_sets_the_parameters(string name, string input, string shape, string type)
    {
        var xml = tool.Path($"add-{name}.xml");
        var result = tool.Run(TestModels.BackendModel("test_add"), "--output_model", xml, "--input", input);

        Assert.True(result.ExitCode == 0, result.ToString());
        var ir = new IrXml(xml);
        Assert.All(["x", "y"], parameter =>
        {
            Assert.Equal(shape, IrXml.Data(ir.Layer(parameter)!, "shape"));
            Assert.Equal(type, IrXml.Data(ir.Layer(parameter)!, "element_type"));
        });
    }

    /// <summary>
    /// The conversion commands of OpenVINO's MLCommons RNN-T guide, Model Optimizer's <c>mo</c> replaced by <c>modelconvert</c>,
    /// on the RNN-T fixtures (whose joint takes 256 features where the full model's takes 1024): each writes where mo would.
    /// </summary>
    [Fact]
    public void The_RNNT_guide_commands_work_with_modelconvert_in_place_of_mo()
    {
        var folder = Directory.CreateDirectory(tool.Path("rnnt")).FullName;
        foreach (var part in new[] { "encoder", "prediction", "joint" })
        {
            File.Copy(Path.Combine(TestModels.Fixtures(tool.Feed.RepositoryRoot), "rnnt", $"rnnt_{part}_small", "model.onnx"), Path.Combine(folder, $"rnnt_{part}.onnx"), overwrite: true);
        }

        string[][] commands =
        [
            ["--input_model", "rnnt_encoder.onnx", "--input", "input.1[157 1 240],1->157"],
            ["--input_model", "rnnt_prediction.onnx", "--input", "input.1[1 1],1[2 1 320],2[2 1 320]"],
            ["--input_model", "rnnt_joint.onnx", "--input", "0[1 1 256],1[1 1 320]"],
        ];
        foreach (var command in commands)
        {
            var result = tool.Feed.Dotnet(folder, ["tool", "run", "modelconvert", .. command]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Single(result.Output.Split('\n'), line => line.Contains("[ WARNING ] Legacy Model Optimizer (mo) options", StringComparison.Ordinal)
                && line.Contains("--input_model MODEL → MODEL", StringComparison.Ordinal));
        }

        var encoder = new IrXml(Path.Combine(folder, "rnnt_encoder.xml"));
        Assert.Equal("157,1,240", IrXml.Data(Assert.Single(encoder.LayersOfType("Parameter")), "shape"));
        var prediction = new IrXml(Path.Combine(folder, "rnnt_prediction.xml"));
        Assert.Equal(["1,1", "2,1,320", "2,1,320"], prediction.LayersOfType("Parameter").Select(p => IrXml.Data(p, "shape")));
        var joint = new IrXml(Path.Combine(folder, "rnnt_joint.xml"));
        Assert.Equal(["1,1,256", "1,1,320"], joint.LayersOfType("Parameter").Select(p => IrXml.Data(p, "shape")));
        Assert.All(["rnnt_encoder.bin", "rnnt_prediction.bin", "rnnt_joint.bin"], bin => Assert.True(File.Exists(Path.Combine(folder, bin)), bin));
    }

    [Theory]
    [InlineData("--mean_values", "[123]", "'--mean_values' is a Model Optimizer (mo) option with no meaning")]
    [InlineData("--target_openvino", "2021.4", "MB2007")]
    [InlineData("--data_type", "FP64", "'--data_type FP64'")]
    public void Legacy_options_without_a_meaning_and_bad_targets_are_usage_errors(string option, string value, string message)
    {
        var result = tool.Run(TestModels.BackendModel("test_relu"), "--output_model", tool.Path("usage.xml"), option, value);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(tool.Path("usage.xml")));
    }

    [Fact]
    public void Target_openvino_writes_an_IR_the_older_release_reads_and_inspect_says_so()
    {
        var xml = tool.Path("argmax-2022.1.xml");
        var result = tool.Run(TestModels.BackendModel("test_argmax_default_axis_example"), "--output_model", xml, "--target_openvino", "2022.1");
        Assert.True(result.ExitCode == 0, result.ToString());

        var inspectOnnx = tool.Run("inspect", TestModels.BackendModel("test_argmax_default_axis_example"));
        var inspectIr = tool.Run("inspect", xml);

        Assert.Contains("OpenVINO: its IR (default conversion) loads in 2023.0 and later (TopK-opset11); --target_openvino 2022.1 writes it for 2022.1 and later", inspectOnnx.Output, StringComparison.Ordinal);
        Assert.Contains("OpenVINO: loads in 2022.1 and later", inspectIr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frozen_input_becomes_a_constant()
    {
        var xml = tool.Path("add-frozen.xml");
        var result = tool.Run(TestModels.BackendModel("test_add"), "--output_model", xml, "--input", "y[1]->[2]", "--compress_to_fp16=false");

        Assert.True(result.ExitCode == 0, result.ToString());
        var ir = new IrXml(xml);
        Assert.Equal("x", Assert.Single(ir.LayersOfType("Parameter")).Attribute("name")!.Value);
        Assert.Equal("f32", IrXml.Data(ir.Layer("y")!, "element_type"));
    }

    [Fact]
    public void Output_cuts_the_model_at_the_named_tensor()
    {
        var model = TestModels.WriteAddRelu(tool.Path("cut.onnx"));
        var xml = tool.Path("cut.xml");
        var result = tool.Run(model, "--output_model", xml, "--output", "sum");

        Assert.True(result.ExitCode == 0, result.ToString());
        var ir = new IrXml(xml);
        Assert.Empty(ir.LayersOfType("ReLU"));
        Assert.Single(ir.LayersOfType("Add"));
    }

    [Theory]
    [InlineData("true", "f16")]
    [InlineData("false", "f32")]
    public void Compress_to_fp16_chooses_the_weight_precision(string compress, string weightType)
    {
        var model = TestModels.WriteAddRelu(tool.Path($"weights-{compress}.onnx"));
        var xml = tool.Path($"weights-{compress}.xml");
        var result = tool.Run(model, "--output_model", xml, $"--compress_to_fp16={compress}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(weightType, IrXml.Data(new IrXml(xml).LayersOfType("Const").Single(), "element_type"));
    }

    [Fact]
    public void Verify_passes_backend_tests_and_fails_a_wrong_expectation()
    {
        string[] tests = ["test_add", "test_relu", "test_sigmoid"];
        var passing = tool.Run(["verify", .. tests.Select(t => Path.Combine(TestModels.BackendNodeTests, t))]);
        Assert.True(passing.ExitCode == 0, passing.ToString());
        Assert.Contains("3 passed, 0 failed", passing.Output.Split('\n').Select(l => l.Trim()));

        // Relu's test with Sigmoid's expected output (same shape, other values) must fail.
        var wrong = Directory.CreateDirectory(tool.Path("wrong_relu/test_data_set_0")).Parent!.FullName;
        File.Copy(TestModels.BackendModel("test_relu"), Path.Combine(wrong, "model.onnx"));
        File.Copy(Path.Combine(TestModels.BackendNodeTests, "test_relu/test_data_set_0/input_0.pb"), Path.Combine(wrong, "test_data_set_0/input_0.pb"));
        File.Copy(Path.Combine(TestModels.BackendNodeTests, "test_sigmoid/test_data_set_0/output_0.pb"), Path.Combine(wrong, "test_data_set_0/output_0.pb"));
        var failing = tool.Run("verify", wrong);
        Assert.True(failing.ExitCode == 1, failing.ToString());
        Assert.Contains("0 passed, 1 failed", failing.Output.Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public void Verify_over_the_whole_node_suite_reports_the_conformance_suites_counts()
    {
        // The conformance suite's expectations file lists every node test that does not pass.
        var expectations = File.ReadAllLines(Path.Combine(tool.Feed.RepositoryRoot, "tests/ModelBuild.Conformance.Tests/conformance-expectations.txt"));
        var failing = expectations.Count(l => l.StartsWith("node/", StringComparison.Ordinal) && l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1] == "fail");
        var total = Directory.GetDirectories(TestModels.BackendNodeTests).Length;

        var result = tool.Run("verify", TestModels.BackendNodeTests, "--quiet");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{total - failing} passed, {failing} failed", result.Output.Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public void Inspect_describes_an_onnx_model_and_its_IR()
    {
        var xml = tool.Path("inspect.xml");
        Assert.Equal(0, tool.Run(TestModels.BackendModel("test_sigmoid"), "--output_model", xml).ExitCode);

        var onnx = tool.Run("inspect", TestModels.BackendModel("test_sigmoid"));
        Assert.True(onnx.ExitCode == 0, onnx.ToString());
        Assert.Contains("x: f32[3,4,5]", onnx.Output, StringComparison.Ordinal);
        Assert.Contains("Sigmoid", onnx.Output, StringComparison.Ordinal);

        var ir = tool.Run("inspect", xml);
        Assert.True(ir.ExitCode == 0, ir.ToString());
        Assert.Contains("x: f32[3,4,5]", ir.Output, StringComparison.Ordinal);
        Assert.Contains("Sigmoid", ir.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_exit_with_2_and_conversion_errors_with_1()
    {
        var usage = tool.Run(TestModels.BackendModel("test_relu"), "--no-such-option");
        Assert.True(usage.ExitCode == 2, usage.ToString());

        var malformed = tool.Path("malformed.onnx");
        TestModels.WriteMalformed(malformed);
        var conversion = tool.Run(malformed, "--output_model", tool.Path("malformed.xml"));
        Assert.True(conversion.ExitCode == 1, conversion.ToString());
        Assert.Contains("MB1002", conversion.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_names_the_command_that_explains_it_and_the_installed_tool_explains_every_documented_code()
    {
        var malformed = tool.Path("explained.onnx");
        TestModels.WriteMalformed(malformed);
        var conversion = tool.Run(malformed, "--output_model", tool.Path("explained.xml"));
        Assert.Contains("Run 'modelconvert explain MB1002' for what it means and what to do.", conversion.Output, StringComparison.Ordinal);

        // docs/diagnostics.md as the repository has it: each "### MBnnnn" heading and the lines up to the next heading.
        var sections = new Dictionary<string, List<string>>();
        List<string>? section = null;
        foreach (var line in File.ReadLines(Path.Combine(tool.Feed.RepositoryRoot, "docs/diagnostics.md")))
        {
            if (line.StartsWith('#'))
            {
                section = line.StartsWith("### MB", StringComparison.Ordinal) ? sections[line[4..]] = [] : null;
            }
            else if (line.Length > 0)
            {
                section?.Add(line);
            }
        }

        var explained = tool.Run(["explain", .. sections.Keys]);
        Assert.True(explained.ExitCode == 0, explained.ToString());
        Assert.All(sections.Values.SelectMany(lines => lines), line => Assert.Contains(line, explained.Output, StringComparison.Ordinal));
        Assert.StartsWith("MB1001 (Reading models (1xxx))", explained.Output, StringComparison.Ordinal);

        var unknown = tool.Run("explain", "MB0000");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
    }
}
