using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;

namespace ModelBuild.Testing;

/// <summary>
/// The RNN-T guide's encoder conversion: <c>input.1</c> pinned to [157, 1, 240] and the length input frozen to 157. Only
/// the fixture's data set of that length fits the pinned model, so the test folder holds it alone (beside a link to the model).
/// </summary>
public sealed record PinnedRnntEncoder(string Folder, FrontendOptions Options)
{
    public const long Length = 157;

    /// <summary>Lays the folder out in <paramref name="workFolder"/>.</summary>
    public static PinnedRnntEncoder In(string workFolder)
    {
        var source = SharedFolders.Fixture("rnnt/rnnt_encoder_small");
        var matching = Directory.GetDirectories(source, "test_data_set_*")
            .Where(d => BackendTestVerifier.ReadTensor(Path.Combine(d, "input_0.pb")).Shape[0] == Length)
            .ToList();
        if (matching.Count != 1)
        {
            throw new InvalidDataException($"{source} has {matching.Count} data sets of length {Length}; the fixture holds one.");
        }

        var folder = Directory.CreateDirectory(Path.Combine(workFolder, "rnnt_encoder_pinned")).FullName;
        File.CreateSymbolicLink(Path.Combine(folder, "model.onnx"), Path.Combine(source, "model.onnx"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "test_data_set_0"), matching[0]);
        return new PinnedRnntEncoder(folder, new FrontendOptions
        {
            Inputs =
            [
                new InputOverride { Name = "input.1", Shape = PartialShape.Static(Length, 1, 240) },
                new InputOverride { Name = "1", Value = [Length] },
            ],
        });
    }
}
