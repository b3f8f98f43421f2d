namespace ModelBuild.Tasks;

/// <summary>
/// The files besides the model that a conversion read (its external data files), one full path per line. The
/// targets read it back on the next build (<c>ReadAllText(...).Split('\n')</c>, so no trailing newline) and make
/// each file an input of the model's conversion.
/// </summary>
public static class DependencyFile
{
    public static void Write(string path, IEnumerable<string> files)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Written aside and moved into place: a truncated list would silently drop an input.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, string.Join('\n', files));
        File.Move(temporary, path, overwrite: true);
    }
}
