using System.CommandLine;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Inspection;

namespace ModelBuild.Tool;

/// <summary>The modelconvert command line: a thin shell over the converter core.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var input = new Argument<FileInfo>("INPUT_MODEL") { Description = "The model to convert (.onnx)." };
        var outputModel = new Option<string?>("--output_model") { Description = "The IR .xml to write, or a folder (default: the input's name in the current folder)." };
        var root = new RootCommand("Converts ONNX models to OpenVINO IR v11.") { input, outputModel };
        root.SetAction(result => Run(() => Convert(result.GetValue(input)!, result.GetValue(outputModel))));

        var inspected = new Argument<FileInfo>("MODEL") { Description = "An ONNX model (.onnx) or an OpenVINO IR (.xml)." };
        var nodes = new Option<bool>("--nodes") { Description = "Also list every node." };
        var inspect = new Command("inspect", "Shows a model's inputs, outputs, opsets, operators and parameters.") { inspected, nodes };
        inspect.SetAction(result => Run(() => Inspect(result.GetValue(inspected)!, result.GetValue(nodes))));
        root.Subcommands.Add(inspect);

        return root.Parse(args).Invoke();
    }

    private static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (ModelBuildException error)
        {
            Console.Error.WriteLine($"error {error}");
            return 1;
        }
    }

    private static void Convert(FileInfo input, string? outputModel)
    {
        var xml = OutputPaths.Resolve(input.FullName, outputModel, Environment.CurrentDirectory);
        var result = ModelConverter.Convert(new ConversionRequest { InputPath = input.FullName, OutputXmlPath = xml });
        Console.WriteLine($"[ SUCCESS ] XML file: {result.XmlPath}");
        Console.WriteLine($"[ SUCCESS ] BIN file: {result.BinPath}");
    }

    private static void Inspect(FileInfo model, bool listNodes)
    {
        var summary = ModelInspector.Inspect(model.FullName);
        Console.WriteLine($"{summary.Format} model '{summary.Name}' ({summary.Path})");
        Console.WriteLine("Inputs:");
        foreach (var tensor in summary.Inputs)
        {
            Console.WriteLine($"  {tensor.Name}: {tensor.Type.IrName()}{tensor.Shape.ToDisplayString()}");
        }

        Console.WriteLine("Outputs:");
        foreach (var tensor in summary.Outputs)
        {
            Console.WriteLine($"  {tensor.Name}: {tensor.Type.IrName()}{tensor.Shape.ToDisplayString()}");
        }

        Console.WriteLine($"Opsets: {string.Join(", ", summary.Opsets.Select(o => $"{o.Key} {o.Value}"))}");
        Console.WriteLine($"Operators: {string.Join(", ", summary.OperatorCounts.Select(o => $"{o.Key} ×{o.Value}"))}");
        Console.WriteLine($"Parameters: {summary.ParameterCount:N0} elements, {summary.ParameterBytes:N0} bytes");
        if (summary.ExternalDataFiles.Count > 0)
        {
            Console.WriteLine($"External data: {string.Join(", ", summary.ExternalDataFiles)}");
        }

        if (listNodes)
        {
            summary.NodeLines.ToList().ForEach(Console.WriteLine);
        }
    }
}
