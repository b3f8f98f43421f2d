namespace ModelBuild.Core.Tests.Helpers;

/// <summary>
/// HugeCTR's layers computed directly from their definitions, in double precision, for the models
/// hugectr2onnx cannot convert: the tests check ModelBuild's output against these, not against
/// anything the converter produced. Tensors are row-major float arrays; "rows" are all dimensions
/// but the last.
/// </summary>
public static class ReferenceLayers
{
    /// <summary>What masked attention scores get added (HugeCTR's masked softmax).</summary>
    public const double MaskedScore = -10000;

    /// <summary>Keys [B, slots, nnz] → [B, slots, vec]: the vectors of each slot's keys summed, or averaged over nnz (padding included, as the converted model does); unknown keys are zero vectors.</summary>
    public static float[] Embed(long[] keys, int nnz, Dictionary<long, float[]> table, int vectorSize, bool mean)
    {
        var slots = keys.Length / nnz;
        var result = new float[slots * vectorSize];
        for (var s = 0; s < slots; s++)
        {
            for (var v = 0; v < vectorSize; v++)
            {
                double sum = 0;
                for (var n = 0; n < nnz; n++)
                {
                    sum += table.TryGetValue(keys[(s * nnz) + n], out var vector) ? vector[v] : 0;
                }

                result[(s * vectorSize) + v] = (float)(mean ? sum / nnz : sum);
            }
        }

        return result;
    }

    /// <summary>x [rows, in] · W [in, out] (+ b [out]).</summary>
    public static float[] FullyConnected(float[] x, float[] weight, float[]? bias, int outputs)
    {
        var inputs = weight.Length / outputs;
        var rows = x.Length / inputs;
        var result = new float[rows * outputs];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outputs; o++)
            {
                double sum = bias?[o] ?? 0;
                for (var i = 0; i < inputs; i++)
                {
                    sum += (double)x[(r * inputs) + i] * weight[(i * outputs) + o];
                }

                result[(r * outputs) + o] = (float)sum;
            }
        }

        return result;
    }

    /// <summary>Rows of <paramref name="left"/> and <paramref name="right"/> side by side.</summary>
    public static float[] Concat(float[] left, int leftWidth, float[] right, int rightWidth)
    {
        var rows = left.Length / leftWidth;
        var result = new float[rows * (leftWidth + rightWidth)];
        for (var r = 0; r < rows; r++)
        {
            left.AsSpan(r * leftWidth, leftWidth).CopyTo(result.AsSpan(r * (leftWidth + rightWidth)));
            right.AsSpan(r * rightWidth, rightWidth).CopyTo(result.AsSpan((r * (leftWidth + rightWidth)) + leftWidth));
        }

        return result;
    }

    public static float[] Sigmoid(float[] x) => Array.ConvertAll(x, v => (float)(1 / (1 + Math.Exp(-v))));

    public static float[] Relu(float[] x) => Array.ConvertAll(x, v => Math.Max(v, 0f));

    /// <summary>Softmax of each row.</summary>
    public static float[] Softmax(float[] x, int width) => Rows(x, width, row =>
    {
        var max = row.Max();
        var exps = row.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exps.Sum();
        return exps.Select(e => e / sum).ToArray();
    });

    /// <summary>Each row normalized to zero mean and unit (biased) variance, then γ·x + β.</summary>
    public static float[] LayerNorm(float[] x, int width, float[] gamma, float[] beta, double epsilon) => Rows(x, width, row =>
    {
        var mean = row.Average();
        var variance = row.Average(v => (v - mean) * (v - mean));
        return row.Select((v, i) => ((v - mean) / Math.Sqrt(variance + epsilon) * gamma[i]) + beta[i]).ToArray();
    });

    /// <summary>
    /// Multi-head attention of one sample: q, k, v [S, H] split into <paramref name="heads"/> heads,
    /// softmax(q·kᵀ/√d + MaskedScore·(1 − mask))·v per head, heads concatenated back to [S, H].
    /// </summary>
    public static float[] Attention(float[] q, float[] k, float[] v, int hidden, int heads, Func<int, int, bool> visible)
    {
        var length = q.Length / hidden;
        var size = hidden / heads;
        var result = new float[q.Length];
        for (var h = 0; h < heads; h++)
        {
            for (var i = 0; i < length; i++)
            {
                var scores = new double[length];
                for (var j = 0; j < length; j++)
                {
                    double dot = 0;
                    for (var d = 0; d < size; d++)
                    {
                        dot += (double)q[(i * hidden) + (h * size) + d] * k[(j * hidden) + (h * size) + d];
                    }

                    scores[j] = (dot / Math.Sqrt(size)) + (visible(i, j) ? 0 : MaskedScore);
                }

                var max = scores.Max();
                var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
                var total = weights.Sum();
                for (var d = 0; d < size; d++)
                {
                    double sum = 0;
                    for (var j = 0; j < length; j++)
                    {
                        sum += weights[j] / total * v[(j * hidden) + (h * size) + d];
                    }

                    result[(i * hidden) + (h * size) + d] = (float)sum;
                }
            }
        }

        return result;
    }

    /// <summary>The mean of the rows of <paramref name="x"/> [rows, width] → [width].</summary>
    public static float[] MeanOfRows(float[] x, int width)
    {
        var rows = x.Length / width;
        return Enumerable.Range(0, width).Select(c => (float)Enumerable.Range(0, rows).Average(r => (double)x[(r * width) + c])).ToArray();
    }

    private static float[] Rows(float[] x, int width, Func<double[], double[]> map)
    {
        var result = new float[x.Length];
        for (var r = 0; r < x.Length / width; r++)
        {
            var row = map(x.AsSpan(r * width, width).ToArray().Select(v => (double)v).ToArray());
            for (var c = 0; c < width; c++)
            {
                result[(r * width) + c] = (float)row[c];
            }
        }

        return result;
    }
}
