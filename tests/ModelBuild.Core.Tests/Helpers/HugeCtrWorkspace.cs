using System.Text.Json.Nodes;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.HugeCtr;
using Xunit;

namespace ModelBuild.Core.Tests.Helpers;

/// <summary>
/// A test's own folder for HugeCTR inputs: copies of fixtures to damage, graph configs written by the
/// test, and conversions that must fail without writing anything.
/// </summary>
public abstract class HugeCtrWorkspace : IDisposable
{
    protected TempFolder Folder { get; } = new();

    protected string Output => Folder.File("out.onnx");

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Folder.Dispose();
        }
    }

    protected HugeCtrFixture Copy(string name) => new HugeCtrFixture(name).CopyTo(Folder.File(name));

    protected ModelBuildException Convert(HugeCtrFixture fixture, bool convertEmbedding) => Convert(fixture, fixture.Options(convertEmbedding));

    // Every failure leaves no output behind.
    protected ModelBuildException Convert(HugeCtrFixture fixture, HugeCtrOptions options)
    {
        var error = Assert.Throws<ModelBuildException>(() => HugeCtrFrontend.WriteOnnx(fixture.GraphConfig, options, Output));
        Assert.Empty(Directory.GetFiles(Folder.Path));
        return error;
    }

    protected static void EditConfig(HugeCtrFixture fixture, Action<JsonArray> edit)
    {
        var config = JsonNode.Parse(File.ReadAllText(fixture.GraphConfig))!;
        edit(config["layers"]!.AsArray());
        File.WriteAllText(fixture.GraphConfig, config.ToJsonString());
    }

    protected static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open);
        stream.SetLength(length);
    }

    /// <summary>Writes a graph config; returns its path.</summary>
    protected string Write(string json)
    {
        var path = Folder.File("graph.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>An empty dense model file, for configs without weights; returns its path.</summary>
    protected string EmptyDenseModel()
    {
        var path = Folder.File("dense.model");
        File.WriteAllBytes(path, []);
        return path;
    }
}
