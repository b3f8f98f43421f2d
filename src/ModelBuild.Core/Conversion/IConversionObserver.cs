using ModelBuild.Core.Diagnostics;

namespace ModelBuild.Core.Conversion;

/// <summary>The pipeline's phases, reported in this order.</summary>
public enum ConversionPhase
{
    Reading,
    Translating,
    Transforming,
    Writing,
}

/// <summary>How shells (CLI, MSBuild task) follow a conversion: phases, bytes written, warnings.</summary>
public interface IConversionObserver
{
    void PhaseStarted(ConversionPhase phase);

    /// <summary>Total bytes of the .bin written so far, out of <paramref name="expectedTotal"/> (an upper bound).</summary>
    void BytesWritten(long written, long expectedTotal);

    void Warning(ModelBuildException warning);
}
