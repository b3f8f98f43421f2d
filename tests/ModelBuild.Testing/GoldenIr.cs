using System.Xml.Linq;

namespace ModelBuild.Testing;

/// <summary>
/// The IR OpenVINO 2022.2's own ONNX frontend wrote for the ONNX <c>node</c> tests (<c>../shared/golden-ir/node</c>),
/// and how lean ModelBuild's IR of the same test is held to be: at most as many ops as OpenVINO's, except where the
/// checked-in <c>op-count-exceptions.txt</c> lists the test with the reason (OpenVINO's single op computes something
/// other than the ONNX operator, so the exact decomposition stays).
/// </summary>
public static class GoldenIr
{
    /// <summary>The exceptions file, in the conformance tests' folder of the repository.</summary>
    public static string ExceptionsPath { get; } =
        Path.Combine(SharedFolders.RepositoryRoot, "tests", "ModelBuild.Conformance.Tests", "op-count-exceptions.txt");

    /// <summary>The folder of OpenVINO's IR of the node tests, which must exist.</summary>
    public static string NodeFolder
    {
        get
        {
            var folder = Path.GetFullPath(Path.Combine(SharedFolders.RepositoryRoot, "..", "shared", "golden-ir", "node"));
            return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"The golden IR folder {folder} is missing.");
        }
    }

    /// <summary>The node tests OpenVINO wrote IR for that the ONNX backend test data has, ordered.</summary>
    public static IEnumerable<string> NodeTests() =>
        Directory.GetFiles(NodeFolder, "*.xml")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(test => Directory.Exists(BackendTestSuites.Folder("node", test!)))
            .Order(StringComparer.Ordinal)!;

    public static string PathOf(string test) => Path.Combine(NodeFolder, test + ".xml");

    /// <summary>
    /// The operations of an IR: its layers and those of every body (Loop, If, TensorIterator), except Parameter, Const and
    /// Result, which compute nothing.
    /// </summary>
    public static int CountOps(XDocument ir) =>
        ir.Descendants("layer").Count(layer => (string?)layer.Attribute("type") is not ("Parameter" or "Const" or "Result"));

    public static int CountOps(string xmlPath) => CountOps(XDocument.Load(xmlPath));

    /// <summary>The listed exceptions: node test name → why ModelBuild's IR keeps more ops than OpenVINO's.</summary>
    public static IReadOnlyDictionary<string, string> ReadExceptions()
    {
        var exceptions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in ExpectationsFile.Read(ExceptionsPath))
        {
            if (entry.Kind != "more-ops" || !entry.Key.StartsWith("node/", StringComparison.Ordinal))
            {
                throw new FormatException($"{Path.GetFileName(ExceptionsPath)}: '{entry.Line}' must read 'node/<test>  more-ops  <reason>'.");
            }

            exceptions.Add(entry.Key["node/".Length..], entry.Text);
        }

        return exceptions;
    }
}
