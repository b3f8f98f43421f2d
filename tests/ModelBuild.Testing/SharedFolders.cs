using ModelBuild.Core.Verification;

namespace ModelBuild.Testing;

/// <summary>
/// The read-only folders beside the repository, in <c>&lt;repository&gt;/../shared</c>: the fixtures (override with
/// MODELBUILD_FIXTURES) and the real OpenVINO runtime (override with MODELBUILD_OPENVINO). A missing folder fails the
/// test that needs it: fixtures and the runtime must be checked, not skipped.
/// </summary>
public static class SharedFolders
{
    /// <summary>The repository root: the folder above the test binaries that holds ModelBuild.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Fixtures { get; } = Locate("MODELBUILD_FIXTURES", "fixtures");

    /// <summary>The OpenVINO runtime folder, with <c>bin/ovrun</c> and <c>lib/</c>.</summary>
    public static string OpenVino { get; } = Locate("MODELBUILD_OPENVINO", "openvino");

    /// <summary>The ONNX workload fixtures in the backend-test layout: DLRM (Loops, ATen) and the three RNN-T parts.</summary>
    public static IReadOnlyList<string> OnnxWorkloads { get; } =
        ["dlrm/dlrm_default", "dlrm/dlrm_aten", "rnnt/rnnt_encoder_small", "rnnt/rnnt_prediction_small", "rnnt/rnnt_joint_small"];

    /// <summary>The fixtures' README: FP32 IR against ONNX Runtime's outputs within rtol 1e-4, atol 1e-5.</summary>
    public static Tolerance FixtureTolerance { get; } = new(1e-4, 1e-5);

    /// <summary>A fixture folder, which must exist.</summary>
    public static string Fixture(string name)
    {
        var folder = Path.Combine(Fixtures, name);
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"The fixture {folder} is missing.");
    }

    private static string Locate(string variable, string name) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } root
            ? Path.GetFullPath(root)
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", name));

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ModelBuild.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with ModelBuild.sln) was not found above the test binaries.");
    }
}
