using ModelBuild.Differential.Generators;

namespace ModelBuild.Differential;

/// <summary>Every op the suite generates cases for, and the case of a (seed, index): the same pair always gives the same case.</summary>
public static class CaseCatalog
{
    public static IReadOnlyList<OpSpec> Specs { get; } =
        [.. Elementwise.Specs(), .. Reductions.Specs(), .. Movement.Specs(), .. Indexing.Specs(), .. NeuralNetwork.Specs()];

    /// <summary>The distinct ONNX op types covered.</summary>
    public static IReadOnlySet<string> Ops { get; } = Specs.Select(s => s.Op).ToHashSet(StringComparer.Ordinal);

    /// <summary>Case <paramref name="index"/> of the run with <paramref name="seed"/>: the ops take turns, the rest is random.</summary>
    public static DifferentialCase Generate(int seed, int index)
    {
        var spec = Specs[index % Specs.Count];
        var builder = new CaseBuilder(new Random(unchecked((seed * 1_000_003) + index)), spec.Op, spec.Opset);
        spec.Build(builder);
        return builder.Build();
    }
}
