namespace ModelBuild.Core.Diagnostics;

/// <summary>
/// The one exception type the core lets escape for bad input: it always carries a stable code,
/// and when known the file and the node the problem concerns, so shells can report it precisely.
/// </summary>
public sealed class ModelBuildException : Exception
{
    public ModelBuildException(string code, string message, string? file = null, string? node = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        File = file;
        NodeName = node;
    }

    public string Code { get; }

    public string? File { get; }

    public string? NodeName { get; }

    /// <summary>The same error, with the file it concerns filled in when it was not known where it was raised.</summary>
    public ModelBuildException WithFile(string file) =>
        File is null ? new ModelBuildException(Code, Message, file, NodeName, InnerException) : this;

    /// <summary>The same error, with the node it concerns filled in when it was not known where it was raised.</summary>
    public ModelBuildException WithNode(string node) =>
        NodeName is null ? new ModelBuildException(Code, Message, File, node, InnerException) : this;

    /// <summary>"MB1002: file: node 'x': message" — the form every shell prints.</summary>
    public override string ToString()
    {
        var location = File is null ? "" : $"{File}: ";
        var node = NodeName is null ? "" : $"node '{NodeName}': ";
        return $"{Code}: {location}{node}{Message}";
    }
}
