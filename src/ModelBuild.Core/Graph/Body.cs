namespace ModelBuild.Core.Graph;

/// <summary>
/// A subgraph of Loop, TensorIterator or If, with the description of how outer inputs and outputs
/// connect to the body's Parameters and Results (IR <c>port_map</c> and <c>back_edges</c>).
/// </summary>
public sealed class Body
{
    public Body(Model graph, IReadOnlyList<BodyInput> inputs, IReadOnlyList<BodyOutput> outputs)
    {
        Graph = graph;
        Inputs = inputs;
        Outputs = outputs;
    }

    public Model Graph { get; }

    public IReadOnlyList<BodyInput> Inputs { get; }

    public IReadOnlyList<BodyOutput> Outputs { get; }

    /// <summary>Loop only: the body Parameter that receives the iteration number.</summary>
    public int? CurrentIterationParameter { get; init; }

    /// <summary>Loop only: the body Result that decides whether another iteration runs.</summary>
    public int? ExecutionConditionResult { get; init; }
}

/// <summary>Outer input port <paramref name="ExternalPort"/> feeds body Parameter <paramref name="Parameter"/>.</summary>
public record BodyInput(int ExternalPort, int Parameter);

/// <summary>The outer input is cut along <paramref name="Axis"/> into parts, one per iteration.</summary>
public sealed record SlicedBodyInput(int ExternalPort, int Parameter, long Axis, long Start, long Stride, long PartSize, long End)
    : BodyInput(ExternalPort, Parameter);

/// <summary>A loop-carried value: initial value from outside, then body Result <paramref name="Result"/> of the previous iteration.</summary>
public sealed record MergedBodyInput(int ExternalPort, int Parameter, int Result) : BodyInput(ExternalPort, Parameter);

/// <summary>Outer output <paramref name="OutputIndex"/> takes body Result <paramref name="Result"/> of the last iteration.</summary>
public record BodyOutput(int Result, int OutputIndex);

/// <summary>Outer output that concatenates the values of every iteration along <paramref name="Axis"/>.</summary>
public sealed record ConcatBodyOutput(int Result, int OutputIndex, long Axis, long Start, long Stride, long PartSize, long End)
    : BodyOutput(Result, OutputIndex);
