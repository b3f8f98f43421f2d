namespace ModelBuild.Core.Graph;

/// <summary>
/// The attribute values of one node, complete (defaults applied) and typed as their
/// <see cref="AttributeSpec"/> says. Immutable.
/// </summary>
public sealed class Attributes
{
    private readonly Dictionary<string, object> _values;

    private Attributes(Dictionary<string, object> values) => _values = values;

    public static Attributes Empty { get; } = new(new Dictionary<string, object>());

    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>
    /// Checks <paramref name="given"/> against <paramref name="specs"/>: unknown names and missing
    /// required values are errors, absent optional values take their defaults.
    /// </summary>
    public static Attributes Create(string opType, IReadOnlyList<AttributeSpec> specs, IReadOnlyDictionary<string, object>? given)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (given is not null && given.TryGetValue(spec.Name, out var value))
            {
                values[spec.Name] = spec.Coerce(value);
            }
            else if (spec.Default is not null)
            {
                values[spec.Name] = spec.Default;
            }
            else
            {
                throw new InferenceException($"{opType} requires the attribute '{spec.Name}'.");
            }
        }

        if (given is not null)
        {
            foreach (var name in given.Keys)
            {
                if (!values.ContainsKey(name))
                {
                    throw new InferenceException($"{opType} has no attribute '{name}'.");
                }
            }
        }

        return new Attributes(values);
    }

    public bool Contains(string name) => _values.ContainsKey(name);

    public long GetInt(string name) => Get<long>(name);

    public double GetFloat(string name) => Get<double>(name);

    public bool GetBool(string name) => Get<bool>(name);

    public string GetString(string name) => Get<string>(name);

    public long[] GetInts(string name) => Get<long[]>(name);

    public double[] GetFloats(string name) => Get<double[]>(name);

    public string[] GetStrings(string name) => Get<string[]>(name);

    public ElementType GetElementType(string name) => Get<ElementType>(name);

    public PartialShape GetShape(string name) => Get<PartialShape>(name);

    private T Get<T>(string name) =>
        _values.TryGetValue(name, out var value)
            ? (T)value
            : throw new KeyNotFoundException($"The attribute '{name}' is not declared.");
}
