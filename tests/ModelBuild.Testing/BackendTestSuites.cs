namespace ModelBuild.Testing;

/// <summary>The ONNX backend test suites of Debian's libonnx-testdata: where they are, and their tests as <c>suite/test</c> keys.</summary>
public static class BackendTestSuites
{
    /// <summary>Where Debian's libonnx-testdata installs the backend test data (override with ONNX_BACKEND_TEST_DATA).</summary>
    public static string DataRoot =>
        Environment.GetEnvironmentVariable("ONNX_BACKEND_TEST_DATA") is { Length: > 0 } root ? root : "/usr/include/onnx/backend/test/data";

    /// <summary>Every test of the given suites, ordered, as (suite, test folder name).</summary>
    public static IEnumerable<(string Suite, string Test)> Cases(params string[] suites)
    {
        if (!Directory.Exists(DataRoot))
        {
            throw new DirectoryNotFoundException($"ONNX backend test data not found at {DataRoot}: install it with 'apt-get install -y libonnx-testdata'.");
        }

        return suites.SelectMany(suite => Directory.GetDirectories(Path.Combine(DataRoot, suite))
            .Select(path => (suite, Path.GetFileName(path)))
            .Order());
    }

    public static string Key(string suite, string test) => $"{suite}/{test}";

    public static string Folder(string suite, string test) => Path.Combine(DataRoot, suite, test);
}
