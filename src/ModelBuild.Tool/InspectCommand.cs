using System.CommandLine;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Inspection;
using ModelBuild.Core.Ir;

namespace ModelBuild.Tool;

/// <summary><c>modelconvert inspect MODEL</c>: what a model takes, gives and holds.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("MODEL") { Description = "An ONNX model (.onnx) or an OpenVINO IR (.xml, with its .bin beside it)." };
        var nodes = new Option<bool>("--nodes") { Description = "Also list every node with its outputs." };
        var command = new Command("inspect", "Shows a model's inputs and outputs with types and shapes, opsets, an operator histogram, parameter count and bytes, and external data files.")
        {
            model, nodes,
        };
        command.SetAction(result => Program.Guard(() => Run(result.GetValue(model)!, result.GetValue(nodes))));
        return command;
    }

    private static int Run(FileInfo model, bool listNodes)
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
        Console.WriteLine("Operators:");
        foreach (var (op, count) in summary.OperatorCounts)
        {
            Console.WriteLine($"  {op,-40} {count,6}");
        }

        Console.WriteLine($"OpenVINO: {Describe(summary.OpenVino, summary.Format)}");
        Console.WriteLine($"Parameters: {summary.ParameterCount:N0} values in {summary.ParameterBytes:N0} bytes");
        Console.WriteLine(summary.ExternalDataFiles.Count > 0 ? $"External data: {string.Join(", ", summary.ExternalDataFiles)}" : "External data: none");
        if (listNodes)
        {
            Console.WriteLine("Nodes:");
            foreach (var line in summary.NodeLines)
            {
                Console.WriteLine($"  {line}");
            }
        }

        return ExitCodes.Success;
    }

    private static string Describe(OpenVinoCompatibility compatibility, string format)
    {
        if (compatibility.Problem is { } problem)
        {
            return $"unknown: {problem}";
        }

        var ir = format == "ONNX" ? "its IR (default conversion) loads" : "loads";
        var loads = compatibility.OldestRelease is { } oldest
            ? $"{ir} in {oldest.Name} and later"
            : $"{ir} in no release ModelBuild knows (an op newer than opset{OpenVinoReleases.Newest.Opset})";
        var deciding = compatibility.DecidingOps.Count > 0 ? $" ({string.Join(", ", compatibility.DecidingOps)})" : "";
        var target = compatibility.OldestTarget is { } oldestTarget && oldestTarget != compatibility.OldestRelease
            ? $"; --target_openvino {oldestTarget.Name} writes it for {oldestTarget.Name} and later"
            : "";
        return loads + deciding + target;
    }
}
