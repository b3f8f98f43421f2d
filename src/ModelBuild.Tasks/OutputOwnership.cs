using ModelBuild.Core.Ir;

namespace ModelBuild.Tasks;

/// <summary>
/// Which existing files at an IR's place the build may replace or delete. An .xml must be IR that ModelBuild wrote
/// (<see cref="IrProvenance"/>: its rt_info says so, whether a build or <c>modelconvert</c> wrote it). A .bin carries
/// no mark of its own: it goes with a ModelBuild .xml beside it or, with no .xml there (a write killed between its
/// two renames), only when the build's own record lists it.
/// </summary>
public static class OutputOwnership
{
    /// <returns>The first of the two files that exists and is not ModelBuild's to replace, or null when both may go.</returns>
    public static string? ForeignFile(string xml, string bin, IReadOnlyCollection<string> recorded)
    {
        if (File.Exists(xml))
        {
            return IrProvenance.IsWrittenByModelBuild(xml) ? null : xml;
        }

        return File.Exists(bin) && !recorded.Contains(bin) ? bin : null;
    }
}
