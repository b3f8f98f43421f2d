using Google.Protobuf;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;

// LeNet-5 for 28×28 digits, laid out the way torch.onnx.export writes it (opset 13, dynamic batch,
// Conv/Relu/MaxPool, Flatten, Gemm with transB=1, Softmax). Weights are fixed pseudo-random values
// (Kaiming-uniform scale, seed 5): the model is for conversion, not for reading digits.
var output = args.Length > 0 ? args[0] : Path.Combine("samples", "models", "lenet5.onnx");
var random = new Random(5);
var model = new ModelProto { IrVersion = 7, ProducerName = "ModelBuild sample generator", ProducerVersion = "1", Graph = new GraphProto { Name = "lenet5" } };
model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
var graph = model.Graph;

graph.Input.Add(TensorInfo("input", "batch", 1, 28, 28));
graph.Output.Add(TensorInfo("probabilities", "batch", 10));

Weights("conv1.weight", 6, 1, 5, 5);
Weights("conv1.bias", 6);
Weights("conv2.weight", 16, 6, 5, 5);
Weights("conv2.bias", 16);
Weights("fc1.weight", 120, 400);
Weights("fc1.bias", 120);
Weights("fc2.weight", 84, 120);
Weights("fc2.bias", 84);
Weights("fc3.weight", 10, 84);
Weights("fc3.bias", 10);

Node("Conv", ["input", "conv1.weight", "conv1.bias"], ["conv1"], Ints("kernel_shape", 5, 5), Ints("pads", 2, 2, 2, 2), Ints("strides", 1, 1));
Node("Relu", ["conv1"], ["relu1"]);
Node("MaxPool", ["relu1"], ["pool1"], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
Node("Conv", ["pool1", "conv2.weight", "conv2.bias"], ["conv2"], Ints("kernel_shape", 5, 5), Ints("strides", 1, 1));
Node("Relu", ["conv2"], ["relu2"]);
Node("MaxPool", ["relu2"], ["pool2"], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
Node("Flatten", ["pool2"], ["flat"], new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
Node("Gemm", ["flat", "fc1.weight", "fc1.bias"], ["fc1"], TransB());
Node("Relu", ["fc1"], ["relu3"]);
Node("Gemm", ["relu3", "fc2.weight", "fc2.bias"], ["fc2"], TransB());
Node("Relu", ["fc2"], ["relu4"]);
Node("Gemm", ["relu4", "fc3.weight", "fc3.bias"], ["logits"], TransB());
Node("Softmax", ["logits"], ["probabilities"], new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllBytes(output, model.ToByteArray());
Console.WriteLine($"Wrote {output} ({new FileInfo(output).Length:N0} bytes)");

void Weights(string name, params long[] shape)
{
    var fanIn = shape.Length > 1 ? shape.Skip(1).Aggregate(1L, (a, b) => a * b) : shape[0];
    var bound = Math.Sqrt(6.0 / fanIn);
    var values = new float[ShapeMath.ElementCount(shape)];
    for (var i = 0; i < values.Length; i++)
    {
        values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
    }

    graph.Initializer.Add(OnnxTensors.FromTensor(Tensor.FromArray(values, shape), name));
}

void Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
{
    var node = new NodeProto { OpType = op, Name = $"/{outputs[0]}/{op}" };
    node.Input.AddRange(inputs);
    node.Output.AddRange(outputs);
    node.Attribute.AddRange(attributes);
    graph.Node.Add(node);
}

static AttributeProto Ints(string name, params long[] values)
{
    var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
    attribute.Ints.AddRange(values);
    return attribute;
}

static AttributeProto TransB() => new() { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 };

static ValueInfoProto TensorInfo(string name, string batch, params long[] dims)
{
    var shape = new TensorShapeProto();
    shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batch });
    foreach (var dim in dims)
    {
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
    }

    return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
}
