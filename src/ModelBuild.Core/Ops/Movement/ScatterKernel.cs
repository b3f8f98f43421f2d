using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>The combining step shared by the scatter ops.</summary>
internal static class ScatterKernel
{
    public static void RequireUpdatesOfDataType(InferenceContext context)
    {
        var data = context.InputType(0);
        var updates = context.InputType(2);
        context.Require(data == updates || data == ElementType.Dynamic || updates == ElementType.Dynamic,
            $"updates are {updates.IrName()}, data is {data.IrName()}");
    }

    /// <summary>
    /// A copy of <paramref name="data"/> with update element i combined into flat position
    /// <c>targets[i]</c>, in order: <c>none</c> overwrites; <c>sum</c>, <c>sub</c>, <c>prod</c>,
    /// <c>min</c>, <c>max</c> fold into the current value; <c>mean</c> averages (rounding down for
    /// integers). Without <paramref name="useInitialValues"/> the data value of a touched position is
    /// not part of the result. Booleans: sum = or, prod = and, sub = xor, min = and, max = or.
    /// </summary>
    public static Tensor Apply(Tensor data, Tensor updates, int[] targets, string reduction, bool useInitialValues)
    {
        if (reduction == "none")
        {
            // Overwriting is data movement: read each position from the data or from its last update.
            var map = Enumerable.Range(0, (int)data.ElementCount).ToArray();
            for (var i = 0; i < targets.Length; i++)
            {
                map[targets[i]] = (int)data.ElementCount + i;
            }

            var both = Tensor.ConcatenateFlat(data.Type, [data.ElementCount + updates.ElementCount], [data, updates]);
            return both.Remap(data.Shape, map);
        }

        var hits = new long[data.ElementCount];
        if (data.Type.IsFloatingPoint())
        {
            var values = (double[])data.ToDoubleArray().Clone();
            var update = updates.ToDoubleArray();
            for (var i = 0; i < targets.Length; i++)
            {
                var t = targets[i];
                values[t] = hits[t]++ == 0 && !useInitialValues
                    ? (reduction == "sub" ? -update[i] : update[i])
                    : Combine(reduction, values[t], update[i]);
            }

            if (reduction == "mean")
            {
                for (var t = 0; t < values.Length; t++)
                {
                    var count = hits[t] + (useInitialValues ? 1 : 0);
                    values[t] = hits[t] == 0 ? values[t] : values[t] / count;
                }
            }

            return Tensor.FromDoubles(data.Type, values, data.Shape);
        }

        var integers = (long[])data.ToInt64Array().Clone();
        var updateIntegers = updates.ToInt64Array();
        var logical = data.Type == ElementType.Boolean;
        var unsigned = data.Type == ElementType.U64;
        for (var i = 0; i < targets.Length; i++)
        {
            var t = targets[i];
            integers[t] = hits[t]++ == 0 && !useInitialValues
                ? (reduction == "sub" && !logical ? -updateIntegers[i] : updateIntegers[i])
                : Combine(reduction, integers[t], updateIntegers[i], logical, unsigned);
        }

        if (reduction == "mean")
        {
            for (var t = 0; t < integers.Length; t++)
            {
                var count = hits[t] + (useInitialValues ? 1 : 0);
                integers[t] = hits[t] == 0 ? integers[t] : (long)Math.Floor(integers[t] / (double)count);
            }
        }

        return Tensor.FromInt64s(data.Type, integers, data.Shape);
    }

    private static double Combine(string reduction, double current, double update) => reduction switch
    {
        "sum" or "mean" => current + update,
        "sub" => current - update,
        "prod" => current * update,
        "min" => Math.Min(current, update),
        "max" => Math.Max(current, update),
        _ => throw new InferenceException($"Unknown scatter reduction '{reduction}'."),
    };

    private static long Combine(string reduction, long current, long update, bool logical, bool unsigned)
    {
        if (logical)
        {
            var (a, b) = (current != 0, update != 0);
            return reduction switch
            {
                "sum" or "max" => a || b,
                "prod" or "min" => a && b,
                _ => a ^ b,
            } ? 1 : 0;
        }

        return reduction switch
        {
            "sum" or "mean" => unchecked(current + update),
            "sub" => unchecked(current - update),
            "prod" => unchecked(current * update),
            "min" => (unsigned ? (ulong)update < (ulong)current : update < current) ? update : current,
            "max" => (unsigned ? (ulong)update > (ulong)current : update > current) ? update : current,
            _ => throw new InferenceException($"Unknown scatter reduction '{reduction}'."),
        };
    }
}
