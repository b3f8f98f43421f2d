using ModelBuild.Core.Files;

namespace ModelBuild.Tasks;

/// <summary>
/// The files besides the model that a conversion read (its external data files; a HugeCTR model's dense, sparse and
/// ntp files), one full path per line. The targets read it back on the next build (<c>ReadAllText(...).Split('\n')</c>,
/// so no trailing newline) and make each file an input of the model's conversion. Its name carries a hash of the
/// model's options (<c>&lt;state file&gt;.&lt;options hash&gt;.deps</c>): other options name a file that does not
/// exist yet, so the model is stale.
/// </summary>
public static class DependencyFile
{
    private const string Extension = ".deps";
    private const int HashDigits = 8;

    /// <summary>Writes the list whole (through a temporary file), and removes the lists of the output's earlier options.</summary>
    public static void Write(string path, string stateFile, IEnumerable<string> files)
    {
        StagedFile.WriteAllText(path, string.Join('\n', files));
        foreach (var earlier in AllOf(stateFile).Where(other => other != path))
        {
            File.Delete(earlier);
        }
    }

    /// <summary>The dependency files of one output, whatever options they were written for.</summary>
    public static IReadOnlyList<string> AllOf(string stateFile)
    {
        var folder = Path.GetDirectoryName(stateFile)!;
        var prefix = Path.GetFileName(stateFile) + ".";

        // "<state file>.<8 hex digits>.deps" exactly: another model's state file may start with this one's name.
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, prefix + "*" + Extension).Where(file => Path.GetFileName(file).Length == prefix.Length + HashDigits + Extension.Length)]
            : [];
    }
}
