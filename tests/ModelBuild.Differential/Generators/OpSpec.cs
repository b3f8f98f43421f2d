namespace ModelBuild.Differential.Generators;

/// <summary>How to generate a case about one ONNX op: the opset its model imports, and the builder that adds inputs, nodes and outputs.</summary>
public sealed record OpSpec(string Op, Action<CaseBuilder> Build, int Opset = 17);
