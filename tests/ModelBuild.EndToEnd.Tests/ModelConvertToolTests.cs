using Xunit;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>The packed ModelBuild.Tool installed as a local tool, as README tells users to.</summary>
public sealed class InstalledTool
{
    public InstalledTool(PackedFeed feed)
    {
        Feed = feed;
        Folder = feed.NewFolder("tool");
        string[][] commands = [["new", "tool-manifest"], ["tool", "install", "--local", "ModelBuild.Tool", "--version", feed.Version, "--add-source", feed.Feed]];
        foreach (var command in commands)
        {
            var result = feed.Dotnet(Folder, command);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(result.ToString());
            }
        }
    }

    public PackedFeed Feed { get; }

    /// <summary>Holds the tool manifest; the tests' scratch files go here too.</summary>
    public string Folder { get; }

    public string Path(string name) => System.IO.Path.Combine(Folder, name);

    public CommandResult Run(params string[] arguments) => Feed.Dotnet(Folder, ["tool", "run", "modelconvert", .. arguments]);
}

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
