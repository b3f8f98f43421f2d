using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// If-8: input 0 is a boolean condition; the then body (first) or the else body (second) runs on
/// the inputs its port map names, and its Results give the outputs.
/// </summary>
public sealed class IfOp : OpDefinition
{
    public IfOp()
        : base("If", version: 8, minInputs: 1, maxInputs: int.MaxValue)
    {
    }

    public override void Infer(InferenceContext context)
    {
        context.Require(context.Bodies.Count == 2, $"needs a then and an else body, it has {context.Bodies.Count} bodies");
        context.Require(context.InputType(0) is ElementType.Boolean or ElementType.Dynamic, "the condition must be boolean");
        BodyIteration.RequireScalarLike(context, context.InputShape(0), "the condition");
        foreach (var body in context.Bodies)
        {
            BodyIteration.CheckInputs(context, body, firstDataInput: 1);
        }

        var (then, otherwise) = (context.Bodies[0], context.Bodies[1]);
        var count = Math.Max(BodyIteration.OutputCount(then), BodyIteration.OutputCount(otherwise));
        var condition = context.InputValue(0);
        for (var i = 0; i < count; i++)
        {
            var thenValue = BranchOutput(context, then, i, "then");
            var elseValue = BranchOutput(context, otherwise, i, "else");
            if (condition is not null)
            {
                var taken = condition.GetDouble(0) != 0 ? thenValue : elseValue;
                context.SetOutput(i, taken.Type, taken.Shape);
                continue;
            }

            context.Require(thenValue.Type == elseValue.Type || thenValue.Type == ElementType.Dynamic || elseValue.Type == ElementType.Dynamic,
                $"output {i} is {thenValue.Type.IrName()} in the then body and {elseValue.Type.IrName()} in the else body");
            var type = thenValue.Type == ElementType.Dynamic ? elseValue.Type : thenValue.Type;
            context.SetOutput(i, type, Union(thenValue.Shape, elseValue.Shape));
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var body = context.Bodies[context.Input(0).GetDouble(0) != 0 ? 0 : 1];
        var parameters = new Tensor[body.Graph.Parameters.Count];
        foreach (var input in body.Inputs)
        {
            parameters[input.Parameter] = context.Input(input.ExternalPort);
        }

        var results = context.RunBody(body.Graph, parameters);
        var outputs = new Tensor[BodyIteration.OutputCount(body)];
        foreach (var output in body.Outputs)
        {
            outputs[output.OutputIndex] = results[output.Result];
        }

        return outputs;
    }

    private static Output BranchOutput(InferenceContext context, Body body, int index, string branch)
    {
        var outputs = body.Outputs.Where(o => o.OutputIndex == index).ToList();
        context.Require(outputs.Count == 1, $"the {branch} body maps {outputs.Count} Results to output {index}, it must map one");
        return body.Graph.Results[outputs[0].Result].Input(0);
    }

    // What either branch may produce: dims that agree stay, others become the range covering both.
    private static PartialShape Union(PartialShape a, PartialShape b)
    {
        if (!a.IsRankStatic || !b.IsRankStatic || a.Rank != b.Rank)
        {
            return PartialShape.DynamicRank;
        }

        return PartialShape.Of(a.Zip(b, (x, y) => x == y ? x : new Dimension(Math.Min(x.Min, y.Min), Math.Max(x.Max, y.Max))));
    }
}

public static partial class ConditionOps
{
    public static readonly OpDefinition If = new IfOp();
}
