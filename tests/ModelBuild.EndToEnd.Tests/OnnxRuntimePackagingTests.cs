using System.IO.Compression;
using ModelBuild.EndToEnd.Tests.Helpers;
using Xunit;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// Where ONNX Runtime (the reference of `modelconvert verify MODEL.onnx`) goes in the packed packages: never into the
/// ModelBuild MSBuild package; into the tool's platform package as that platform's native library only; not into the
/// portable 'any' tool package, which would otherwise carry every platform's (187 MB).
/// </summary>
public sealed class OnnxRuntimePackagingTests(PackedFeed feed)
{
    [Fact]
    public void The_ModelBuild_package_carries_no_ONNX_Runtime_and_depends_on_none()
    {
        var entries = Entries($"ModelBuild.{feed.Version}.nupkg");

        Assert.Contains(entries, e => e.EndsWith("ModelBuild.Core.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("onnxruntime", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("OnnxRuntime", Nuspec($"ModelBuild.{feed.Version}.nupkg"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_platform_tool_package_carries_its_platforms_native_library_only()
    {
        var package = Directory.GetFiles(feed.Feed, $"ModelBuild.Tool.linux-x64.{feed.Version}.nupkg").Single();
        var natives = Entries(Path.GetFileName(package)).Where(e => e.Contains("onnxruntime", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.Contains(natives, e => e.EndsWith("/libonnxruntime.so", StringComparison.Ordinal));
        Assert.All(natives, e => Assert.EndsWith(".so", e, StringComparison.Ordinal));
    }

    [Fact]
    public void The_portable_tool_package_carries_the_managed_API_but_no_native_library()
    {
        var entries = Entries($"ModelBuild.Tool.any.{feed.Version}.nupkg");

        Assert.Contains(entries, e => e.EndsWith("/Microsoft.ML.OnnxRuntime.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("runtimes/", StringComparison.Ordinal) && e.Contains("onnxruntime", StringComparison.OrdinalIgnoreCase));
    }

    private List<string> Entries(string package)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed.Feed, package));
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    private string Nuspec(string package)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed.Feed, package));
        using var reader = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        return reader.ReadToEnd();
    }
}
