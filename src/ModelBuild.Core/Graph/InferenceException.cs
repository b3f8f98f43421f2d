namespace ModelBuild.Core.Graph;

/// <summary>
/// An op found its inputs or attributes inconsistent. Raised without node context; the code that
/// builds or reads graphs turns it into a <see cref="Diagnostics.ModelBuildException"/> naming the node.
/// </summary>
public sealed class InferenceException(string message) : Exception(message);
