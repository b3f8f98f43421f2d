using ModelBuild.Core.Files;

namespace ModelBuild.Tasks;

/// <summary>
/// The build's record of the IR it writes at one output: the .xml and the .bin, one full path per line, in
/// <c>&lt;state file&gt;.outputs</c> (ModelBuild.targets names it). It is written before the IR, so a build killed
/// while writing still owns what it left; it is what <c>dotnet clean</c> and the removal of an item delete.
/// </summary>
public static class OutputsRecord
{
    private const string Extension = ".outputs";

    public static void Write(string recordPath, string xml, string bin) => StagedFile.WriteAllText(recordPath, xml + "\n" + bin);

    /// <summary>The files the record lists; none when there is no record.</summary>
    public static IReadOnlyList<string> Read(string recordPath) =>
        File.Exists(recordPath) ? File.ReadAllText(recordPath).Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>The output's state file name, which its record and dependency files extend.</summary>
    public static string StateFileOf(string recordPath) =>
        recordPath.EndsWith(Extension, StringComparison.Ordinal) ? recordPath[..^Extension.Length] : recordPath;
}
