namespace ModelBuild.Core.Graph;

/// <summary>The kinds of values an OpenVINO op attribute can hold, each with one CLR representation.</summary>
public enum AttributeKind
{
    /// <summary>long</summary>
    Int,

    /// <summary>double</summary>
    Float,

    /// <summary>bool</summary>
    Bool,

    /// <summary>string (also enums, written lower-case)</summary>
    String,

    /// <summary>long[] (also static shapes)</summary>
    Ints,

    /// <summary>double[]</summary>
    Floats,

    /// <summary>string[]</summary>
    Strings,

    /// <summary><see cref="Graph.ElementType"/></summary>
    ElementType,

    /// <summary><see cref="Graph.PartialShape"/></summary>
    PartialShape,
}

/// <summary>
/// One attribute an op declares: its IR name, kind and default. A null default makes it required.
/// The declaration order is the order attributes are written in <c>&lt;data&gt;</c>.
/// </summary>
public sealed record AttributeSpec(string Name, AttributeKind Kind, object? Default = null)
{
    public static AttributeSpec Int(string name, long? @default = null) => new(name, AttributeKind.Int, @default);

    public static AttributeSpec Float(string name, double? @default = null) => new(name, AttributeKind.Float, @default);

    public static AttributeSpec Bool(string name, bool? @default = null) => new(name, AttributeKind.Bool, @default);

    public static AttributeSpec String(string name, string? @default = null) => new(name, AttributeKind.String, @default);

    public static AttributeSpec Ints(string name, long[]? @default = null) => new(name, AttributeKind.Ints, @default);

    public static AttributeSpec Floats(string name, double[]? @default = null) => new(name, AttributeKind.Floats, @default);

    public static AttributeSpec Strings(string name, string[]? @default = null) => new(name, AttributeKind.Strings, @default);

    public static AttributeSpec Type(string name, ElementType? @default = null) => new(name, AttributeKind.ElementType, @default);

    public static AttributeSpec Shape(string name, PartialShape? @default = null) => new(name, AttributeKind.PartialShape, @default);

    /// <summary>Checks that <paramref name="value"/> has this attribute's CLR representation and returns it normalized.</summary>
    public object Coerce(object value) => (Kind, value) switch
    {
        (AttributeKind.Int, long v) => v,
        (AttributeKind.Int, int v) => (long)v,
        (AttributeKind.Float, double v) => v,
        (AttributeKind.Float, float v) => (double)v,
        (AttributeKind.Float, long v) => (double)v,
        (AttributeKind.Float, int v) => (double)v,
        (AttributeKind.Bool, bool v) => v,
        (AttributeKind.String, string v) => v,
        (AttributeKind.Ints, long[] v) => v,
        (AttributeKind.Ints, int[] v) => Array.ConvertAll(v, x => (long)x),
        (AttributeKind.Floats, double[] v) => v,
        (AttributeKind.Floats, float[] v) => Array.ConvertAll(v, x => (double)x),
        (AttributeKind.Strings, string[] v) => v,
        (AttributeKind.ElementType, ElementType v) => v,
        (AttributeKind.PartialShape, PartialShape v) => v,
        _ => throw new ArgumentException($"Attribute '{Name}' expects {Kind}, not {value.GetType().Name}."),
    };
}
