using ModelBuild.Fuzzing.Mutation;

namespace ModelBuild.Fuzzing.Inputs;

/// <summary>Where execution <c>i</c>'s input comes from: a generator (seed, index) or a list of saved inputs.</summary>
public interface IInputSource
{
    /// <summary>The number of inputs, or null for a generator without end.</summary>
    long? Count { get; }

    FuzzInput Input(long index);
}

/// <summary>Mutated inputs from the seed corpus.</summary>
public sealed class GeneratedInputs(InputGenerator generator) : IInputSource
{
    public long? Count => null;

    public FuzzInput Input(long index) => generator.Generate(index);
}

/// <summary>Saved inputs (findings) from folders holding a <c>conversion.json</c>, in name order.</summary>
public sealed class SavedInputs : IInputSource
{
    private readonly List<string> _folders;

    public SavedInputs(IEnumerable<string> roots)
    {
        _folders = roots
            .SelectMany(root => File.Exists(Path.Combine(root, FuzzInput.SpecFileName)) ? [root] : Directory.EnumerateDirectories(root).Where(d => File.Exists(Path.Combine(d, FuzzInput.SpecFileName))))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public long? Count => _folders.Count;

    public FuzzInput Input(long index) => FuzzInput.Load(_folders[(int)index]);
}
