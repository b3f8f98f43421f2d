using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Graph;

/// <summary>
/// The value of a Const node: element type, static shape and where the bytes are. The managed
/// <see cref="Tensor"/> form is created on demand, and only for payloads small enough to fold.
/// </summary>
public sealed class ConstantPayload
{
    private Tensor? _value;

    public ConstantPayload(ElementType type, long[] shape, TensorData data)
    {
        var expected = type == ElementType.String ? data.Length : type.ByteSize(ShapeMath.ElementCount(shape));
        if (data.Length != expected)
        {
            throw new InferenceException($"A {type.IrName()} constant of shape {ShapeMath.Format(shape)} needs {expected} bytes, the data has {data.Length}.");
        }

        Type = type;
        Shape = shape;
        Data = data;
    }

    public ConstantPayload(Tensor value)
        : this(value.Type, value.Shape, TensorData.FromBytes(value.ToBytes())) => _value = value;

    public ElementType Type { get; }

    public long[] Shape { get; }

    public TensorData Data { get; }

    public long ElementCount => ShapeMath.ElementCount(Shape);

    /// <summary>True when the value may be read into managed memory (see <see cref="EvaluationBudget.IsSmallValue"/>); larger ones never are.</summary>
    public bool IsSmallEnoughToMaterialize => Data.Length <= EvaluationBudget.ValueBytesLimit && EvaluationBudget.IsSmallValue(Type, ElementCount);

    /// <summary>The value as a tensor, or null when it is too large to materialize.</summary>
    public Tensor? TryGetValue() => IsSmallEnoughToMaterialize ? GetValue() : null;

    public Tensor GetValue() => _value ??= Tensor.FromBytes(Type, Shape, Data.ToArray());
}
