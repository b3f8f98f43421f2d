using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Verification;

/// <summary>
/// One sample of inputs given as files: a folder of serialized TensorProtos (<c>.pb</c>, named by the tensor's name,
/// or <c>input_N.pb</c> by position) and NumPy arrays (<c>.npy</c>, named by the file's name). Files named
/// <c>output_*</c> (expected outputs in the backend-test layout) are not inputs.
/// </summary>
public static class InputFolder
{
    /// <summary>The tensors of <paramref name="folder"/>, keyed by the graph input each is for.</summary>
    /// <exception cref="ModelBuildException">The folder is missing, holds no inputs, or a file does not match an input (MB6002).</exception>
    public static Dictionary<string, Tensor> Read(string folder, IReadOnlyList<string> graphInputs)
    {
        if (!Directory.Exists(folder))
        {
            throw new ModelBuildException(DiagnosticCode.VerificationInputInvalid, "The inputs folder does not exist.", folder);
        }

        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            var stem = Path.GetFileNameWithoutExtension(file);
            if (stem.StartsWith("output_", StringComparison.Ordinal))
            {
                continue;
            }

            var (name, value) = Path.GetExtension(file) switch
            {
                ".pb" => ReadProto(file, stem, graphInputs),
                ".npy" => (stem, ReadNpy(file)),
                _ => (null, null),
            };
            if (name is null || value is null)
            {
                continue;
            }

            if (!graphInputs.Contains(name))
            {
                throw new ModelBuildException(DiagnosticCode.VerificationInputInvalid,
                    $"'{Path.GetFileName(file)}' is for an input named '{name}', which the model does not have. Its inputs: {string.Join(", ", graphInputs)}.", folder);
            }

            if (!values.TryAdd(name, value))
            {
                throw new ModelBuildException(DiagnosticCode.VerificationInputInvalid, $"Two files give the input '{name}'.", folder);
            }
        }

        return values.Count > 0
            ? values
            : throw new ModelBuildException(DiagnosticCode.VerificationInputInvalid, "The folder holds no .pb or .npy input files.", folder);
    }

    // A TensorProto without a name is matched by its position: input_N.pb is the Nth graph input.
    private static (string?, Tensor) ReadProto(string file, string stem, IReadOnlyList<string> graphInputs)
    {
        (string Name, Tensor Value) tensor;
        try
        {
            tensor = BackendTestData.ReadTensor(file);
        }
        catch (ModelBuildException error)
        {
            throw new ModelBuildException(DiagnosticCode.VerificationInputInvalid, $"Not a serialized TensorProto: {error.Message}", file);
        }

        if (tensor.Name.Length > 0)
        {
            return tensor;
        }

        return stem.StartsWith("input_", StringComparison.Ordinal) && int.TryParse(stem["input_".Length..], out var position)
            && position >= 0 && position < graphInputs.Count
            ? (graphInputs[position], tensor.Value)
            : throw new ModelBuildException(DiagnosticCode.VerificationInputInvalid,
                "The tensor has no name, and the file is not named input_N.pb after the Nth input.", file);
    }

    private static Tensor ReadNpy(string file)
    {
        try
        {
            return NpyFile.Read(file);
        }
        catch (InvalidDataException error)
        {
            throw new ModelBuildException(DiagnosticCode.VerificationInputInvalid, error.Message, file);
        }
    }
}
