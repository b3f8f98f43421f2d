using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// The dense model file: every layer's trainable parameters as little-endian float32, concatenated in
/// layer order with no header. Layers take their tensors in order and get regions of the mapped file
/// (nothing is copied). Sizes are checked before anything is read: the whole walk is counted, and a
/// file of another size is refused naming the first layer whose weights run past its end — or, for a
/// longer file, the bytes left over — because either way the file does not belong to this graph.
/// </summary>
internal sealed class DenseModelFile
{
    private readonly MappedFile _file;
    private long _position;
    private string? _firstOverrun;

    private DenseModelFile(MappedFile file) => _file = file;

    public string Path => _file.Path;

    public static DenseModelFile Open(string path, MappedFileSet files)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrMissingFile, "The dense model file does not exist.", fullPath);
        }

        return new DenseModelFile(files.Get(fullPath));
    }

    /// <summary>The next float32 tensor of <paramref name="layer"/>, of <paramref name="shape"/>.</summary>
    public TensorData Take(LayerConfig layer, string tensor, params long[] shape)
    {
        // Saturating: a declared shape past any file's size must count as past the end, not wrap around.
        var bytes = EvaluationBudget.Product([4, .. shape]);
        var start = _position;
        _position = bytes > long.MaxValue - _position ? long.MaxValue : _position + bytes;
        if (_position <= _file.Length)
        {
            return new MappedTensorData(_file, start, bytes);
        }

        // Keep counting so the error can say how large the file should be; the placeholder is never written.
        _firstOverrun ??= $"{layer.Description} needs bytes [{start}, {_position}) for its {tensor} [{string.Join(", ", shape)}]";
        return new ZeroTensorData(bytes);
    }

    /// <summary>After the last layer: the file must have held exactly the weights the layers took.</summary>
    public void CheckSize()
    {
        if (_firstOverrun is not null)
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrSizeMismatch,
                $"The dense model has {_file.Length} bytes, the graph config needs {_position}: {_firstOverrun}, past the end of the file.", Path);
        }

        if (_position != _file.Length)
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrSizeMismatch,
                $"The dense model has {_file.Length} bytes, the graph config needs {_position}: {_file.Length - _position} bytes are left over after the last layer's weights.", Path);
        }
    }
}
