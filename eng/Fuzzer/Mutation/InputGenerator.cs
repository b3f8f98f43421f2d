using System.Globalization;
using Google.Protobuf;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Fuzzing.Inputs;

namespace ModelBuild.Fuzzing.Mutation;

/// <summary>
/// Execution <c>index</c> of run <c>seed</c> → one mutated input, the same on every call: a finding is
/// reproduced from its (seed, index) and the corpus, with no state carried between executions.
/// </summary>
public sealed class InputGenerator(SeedCorpus corpus, long seed)
{
    /// <summary>The share of executions that start from a HugeCTR model (when the corpus has some).</summary>
    private const double HugeCtrShare = 0.2;

    public long Seed { get; } = seed;

    public FuzzInput Generate(long index)
    {
        try
        {
            return Mutate(index, new Random(Mix(Seed, index)));
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or InvalidProtocolBufferException or System.Text.Json.JsonException)
        {
            // A mutant the structure-aware mutators cannot walk (JSON with duplicate keys, lazily decoded text):
            // the same execution gets byte-level mutations instead, still a pure function of (seed, index).
            var random = new Random(Mix(Seed, ~index));
            var source = corpus.Onnx.Count > 0 ? Interesting.Pick(random, corpus.Onnx) : Interesting.Pick(random, corpus.HugeCtr);
            var files = source.Files.ToDictionary(f => f.Key, f => f.Key == source.Spec.Model ? ByteMutator.Mutate(f.Value, random) : f.Value, StringComparer.Ordinal);
            return Named(source with { Files = files }, index);
        }
    }

    private FuzzInput Mutate(long index, Random random)
    {
        if (corpus.HugeCtr.Count > 0 && (corpus.Onnx.Count == 0 || random.NextDouble() < HugeCtrShare))
        {
            var hugeCtr = Interesting.Pick(random, corpus.HugeCtr);
            return Named(HugeCtrMutator.Mutate(hugeCtr, random), index);
        }

        var source = Interesting.Pick(random, corpus.Onnx);
        var donor = Interesting.Pick(random, corpus.Onnx);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var bytes = source.Files[source.Spec.Model];
        var spec = source.Spec;
        var kind = random.Next(10);
        if (kind < 8)
        {
            var model = ModelProto.Parser.ParseFrom(bytes);
            OnnxMutator.Mutate(model, random, files, ParseOrNull(donor.Files[donor.Spec.Model]));
            bytes = model.ToByteArray();
            if (random.Next(20) == 0)
            {
                spec = WithOptions(spec, model, random);
            }
        }

        if (kind >= 7)
        {
            bytes = ByteMutator.Mutate(bytes, random, donor.Files[donor.Spec.Model]);
        }

        files[spec.Model] = bytes;
        return new FuzzInput($"{source.Origin} #{index.ToString(CultureInfo.InvariantCulture)}", files, spec);
    }

    private static FuzzInput Named(FuzzInput input, long index) => input with { Origin = $"{input.Origin} #{index.ToString(CultureInfo.InvariantCulture)}" };

    private static ModelProto? ParseOrNull(byte[] bytes)
    {
        try
        {
            return ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    // ovc options: input overrides (shapes, types, frozen values, cuts), output cuts, FP16 off.
    private static ConversionSpec WithOptions(ConversionSpec spec, ModelProto model, Random random)
    {
        var inputs = model.Graph.Input.Select(i => i.Name).ToList();
        var values = model.Graph.Node.SelectMany(n => n.Output).Where(n => n.Length > 0).ToList();
        var overrides = new List<string>();
        if (inputs.Count > 0 && random.Next(2) == 0)
        {
            var name = Interesting.Pick(random, inputs);
            overrides.Add(random.Next(5) switch
            {
                0 => $"{name}[{Interesting.Dimension(random)},{Interesting.Dimension(random)}]",
                1 => $"{name}{{{Interesting.Pick(random, ["f16", "i64", "u8", "boolean", "f64", "x"])}}}",
                2 => $"{name}->{Interesting.Integer(random)}",
                3 => $"{name}[?,1..{Interesting.Dimension(random)}]",
                _ => $"{name}{{i64}}[2]->[{Interesting.Integer(random)} {Interesting.Integer(random)}]",
            });
        }
        else if (values.Count > 0)
        {
            overrides.Add(Interesting.Pick(random, values));
        }

        var outputs = values.Count > 0 && random.Next(3) == 0 ? new[] { Interesting.Pick(random, values) } : [];
        return spec with { Inputs = [.. overrides], Outputs = outputs, CompressToFp16 = random.Next(2) == 0 };
    }

    // SplitMix64 of (seed, index): neighbouring indices give unrelated generators.
    private static int Mix(long seed, long index)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return unchecked((int)(z ^ (z >> 31)));
    }
}
