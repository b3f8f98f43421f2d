namespace ModelBuild.Core.Graph;

/// <summary>
/// How much a conversion may compute while converting: every limit on conversion-time evaluation
/// (constant folding while translating and in the final pass, Loop/If/TensorIterator bodies run on
/// constant inputs, the values inference reads) lives here. Work is counted in units of about one
/// element read or written; a node evaluation also costs a fixed overhead, so a loop of tiny bodies
/// is bounded too. A fold that would pass the budget is not an error: the node stays in the IR,
/// unevaluated, and OpenVINO computes it at run time.
/// </summary>
/// <remarks>
/// Limits are counted, not timed, so the same model always gives the same IR whatever the machine's
/// speed or load. The conversion's allowance grows with the bytes of its source files, so folding a
/// large model's weights (a transposed or dequantized weight per layer) stays possible, while a small
/// hostile file (a Loop of 2^62 trips, a Tile to 2^40 elements, a 100,000-node chain of folds) costs a
/// fixed amount of time and memory.
/// </remarks>
public sealed class EvaluationBudget
{
    /// <summary>The largest value (in bytes) ever materialized for evaluation: a constant read by inference or folding, or a folded result.</summary>
    public const long ValueBytesLimit = 64L << 20;

    /// <summary>The largest value in elements: sub-byte and boolean values are stored one element per byte or more.</summary>
    public const long ValueElementsLimit = 16L << 20;

    /// <summary>
    /// The largest rank of a tensor a model declares (graph inputs, initializers). Translations build per-axis
    /// graphs (Resize: a few hundred nodes per axis) and every node writes its dims, so work grows with the square of
    /// the rank; OpenVINO's plugins handle ranks up to 8.
    /// </summary>
    public const int DeclaredRankLimit = 64;

    /// <summary>
    /// The most dimensions any <see cref="PartialShape"/> holds (a shape, or the value of a shape-like tensor):
    /// shapes are copied and compared at every node, so a Reshape to a million dimensions would make each node cost a million.
    /// </summary>
    public const int ShapeLengthLimit = 1024;

    /// <summary>
    /// The most outputs one node may have, and the most elements a translation unrolls a sequence into (Split parts,
    /// SplitToSequence chunks): each is a port, or nodes, in memory and in the IR, and their count comes from a declared length.
    /// </summary>
    public const int OutputCountLimit = 1 << 16;

    /// <summary>The work charged for evaluating any node, besides its elements: contexts, inference, dispatch.</summary>
    public const long NodeWork = 256;

    /// <summary>The work one fold may take, the iterations of the Loops it runs included.</summary>
    public const long FoldWorkLimit = 1L << 26;

    /// <summary>The work all folds of one conversion may take, besides <see cref="ConversionWorkPerSourceByte"/>.</summary>
    public const long ConversionWorkBase = 1L << 27;

    /// <summary>The work allowed per byte of the conversion's source files (their weights may be folded).</summary>
    public const long ConversionWorkPerSourceByte = 4;

    /// <summary>
    /// The bytes of output a conversion may generate that no source byte backs, besides
    /// <see cref="UnbackedBytesPerSourceByte"/> per byte of the files concerned: HugeCTR's zero rows (a table is as
    /// long as its declared vocabulary, whatever the sparse file holds) and key→row tables (as long as the key space).
    /// A config is a few hundred bytes; without this it could ask for terabytes of zeros.
    /// </summary>
    public const long UnbackedBytesBase = 1L << 30;

    /// <summary>See <see cref="UnbackedBytesBase"/>.</summary>
    public const long UnbackedBytesPerSourceByte = 4;

    private readonly Func<long>? _sourceBytes;
    private long _foldRemaining;
    private int _depth;

    private EvaluationBudget(Func<long>? sourceBytes) => _sourceBytes = sourceBytes;

    /// <summary>
    /// The budget of a conversion; <paramref name="sourceBytes"/> tells how many bytes its source files hold
    /// so far (external data files are opened while translating, and their weights may be folded).
    /// </summary>
    public static EvaluationBudget ForConversion(Func<long> sourceBytes) => new(sourceBytes);

    /// <summary>No limit: running a whole model on real inputs (verification, tests) is the user's request, not conversion-time work.</summary>
    public static EvaluationBudget Unlimited() => new(null);

    /// <summary>The work spent so far.</summary>
    public long Spent { get; private set; }

    /// <summary>True for <see cref="Unlimited"/>: nothing is counted or refused.</summary>
    public bool IsUnlimited => _sourceBytes is null;

    private long ConversionRemaining =>
        ConversionWorkBase + Math.Min(_sourceBytes!(), long.MaxValue / 8) * ConversionWorkPerSourceByte - Spent;

    /// <summary>True when a value of <paramref name="elements"/> elements of <paramref name="type"/> may be materialized.</summary>
    public static bool IsSmallValue(ElementType type, long elements) =>
        elements >= 0 && elements <= ValueElementsLimit && (type == ElementType.String || type.ByteSize(elements) <= ValueBytesLimit);

    /// <summary>
    /// Runs one fold within <see cref="FoldWorkLimit"/> and what is left of the conversion's work; returns
    /// null when it would take more (the caller leaves the node unevaluated). Nested folds share the outer one's limit.
    /// </summary>
    public T? Fold<T>(Func<T> evaluate)
        where T : class
    {
        if (_depth == 0)
        {
            _foldRemaining = IsUnlimited ? long.MaxValue : Math.Min(FoldWorkLimit, ConversionRemaining);
        }

        _depth++;
        try
        {
            return evaluate();
        }
        catch (EvaluationBudgetExceededException)
        {
            return null;
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>Takes <paramref name="work"/> units; throws <see cref="EvaluationBudgetExceededException"/> (caught by <see cref="Fold"/>) when they are not there.</summary>
    public void Charge(long work)
    {
        if (IsUnlimited)
        {
            return;
        }

        work = Math.Max(work, 0);
        if (work > _foldRemaining)
        {
            // Work is charged before it is done, so a refused evaluation costs nothing: what the fold spent
            // before (a Loop's earlier iterations) stays spent, and one huge node does not starve the others.
            throw new EvaluationBudgetExceededException();
        }

        _foldRemaining -= work;
        Spent += work;
    }

    /// <summary>Throws <see cref="EvaluationBudgetExceededException"/> unless a value of this size may be materialized.</summary>
    public void RequireSmallValue(ElementType type, long elements)
    {
        if (!IsUnlimited && !IsSmallValue(type, elements))
        {
            throw new EvaluationBudgetExceededException();
        }
    }

    /// <summary>
    /// Throws <see cref="EvaluationBudgetExceededException"/> when a dimension is larger than a value may be
    /// (kernels loop over each axis, so an empty tensor of shape [0, 2^40] is no small value); returns the
    /// dimensions' sum, the work of such per-axis loops.
    /// </summary>
    public long RequireSmallDimensions(ReadOnlySpan<long> shape)
    {
        long sum = 0;
        foreach (var dim in shape)
        {
            if (!IsUnlimited && dim > ValueElementsLimit)
            {
                throw new EvaluationBudgetExceededException();
            }

            sum += Math.Min(dim, ValueElementsLimit);
        }

        return sum;
    }

    /// <summary>True when <paramref name="bytes"/> generated from declared sizes are backed well enough by <paramref name="sourceBytes"/> of actual data.</summary>
    public static bool IsBackedEnough(long bytes, long sourceBytes) =>
        bytes <= UnbackedBytesBase + Product(Math.Max(sourceBytes, 1), UnbackedBytesPerSourceByte);

    /// <summary>Saturating product of element counts, for work estimates that may not fit in a long.</summary>
    public static long Product(params long[] factors)
    {
        long product = 1;
        foreach (var factor in factors)
        {
            if (factor <= 0)
            {
                return 0;
            }

            product = product > long.MaxValue / factor ? long.MaxValue : product * factor;
        }

        return product;
    }
}

/// <summary>An evaluation would pass its <see cref="EvaluationBudget"/>; <see cref="EvaluationBudget.Fold"/> turns it into "not folded".</summary>
public sealed class EvaluationBudgetExceededException() : Exception("The conversion-time evaluation budget is exhausted.");
