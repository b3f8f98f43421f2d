using ModelBuild.Core.Frontends.HugeCtr.Layers;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// Every HugeCTR layer type ModelBuild converts — the types hugectr2onnx supports — and its builder.
/// To find how a layer becomes ONNX, find its row here; the builder lives in Layers/, one file per
/// family. The Data layer is not listed: it only declares the model's inputs and outputs
/// (<see cref="HugeCtrConversion"/>). Types missing here (Cast, GRU, Gather, Select, ...) are refused
/// with MB4002 before anything is written.
/// </summary>
internal static class HugeCtrLayerTable
{
    public static IReadOnlyDictionary<string, LayerBuilder> Builders { get; } = new Dictionary<string, LayerBuilder>(StringComparer.Ordinal)
    {
        // ---- Embeddings (EmbeddingLayers.cs) ----
        ["DistributedSlotSparseEmbeddingHash"] = EmbeddingLayers.SparseEmbedding,
        ["LocalizedSlotSparseEmbeddingHash"] = EmbeddingLayers.SparseEmbedding,

        // ---- Fully connected (FullyConnectedLayers.cs) ----
        ["InnerProduct"] = FullyConnectedLayers.InnerProduct,
        ["FusedInnerProduct"] = FullyConnectedLayers.FusedInnerProduct,
        ["MLP"] = FullyConnectedLayers.Mlp,
        ["MultiCross"] = FullyConnectedLayers.MultiCross,
        ["WeightMultiply"] = FullyConnectedLayers.WeightMultiply,

        // ---- Element-wise, activations, reductions (ElementwiseLayers.cs) ----
        ["Add"] = ElementwiseLayers.Add,
        ["ElementwiseMultiply"] = ElementwiseLayers.ElementwiseMultiply,
        ["Sub"] = ElementwiseLayers.Sub,
        ["ReLU"] = ElementwiseLayers.Relu,
        ["Sigmoid"] = ElementwiseLayers.Sigmoid,
        ["ELU"] = ElementwiseLayers.Elu,
        ["Dropout"] = ElementwiseLayers.Dropout,
        ["PReLU_Dice"] = ElementwiseLayers.PReluDice,
        ["Softmax"] = ElementwiseLayers.Softmax,
        ["ReduceSum"] = ElementwiseLayers.ReduceSum,
        ["ReduceMean"] = ElementwiseLayers.ReduceMean,
        ["MatrixMultiply"] = ElementwiseLayers.MatrixMultiply,

        // ---- Normalization (NormalizationLayers.cs) ----
        ["BatchNorm"] = NormalizationLayers.BatchNorm,
        ["LayerNorm"] = NormalizationLayers.LayerNorm,

        // ---- Shapes and data movement (ShapeLayers.cs) ----
        ["Reshape"] = ShapeLayers.Reshape,
        ["Concat"] = ShapeLayers.Concat,
        ["Slice"] = ShapeLayers.Slice,
        ["FusedReshapeConcat"] = ShapeLayers.FusedReshapeConcat,
        ["Scale"] = ShapeLayers.Scale,

        // ---- Feature interactions and attention (InteractionLayers.cs) ----
        ["Interaction"] = InteractionLayers.Interaction,
        ["FmOrder2"] = InteractionLayers.FmOrder2,
        ["MultiHeadAttention"] = InteractionLayers.MultiHeadAttention,
        ["SequenceMask"] = InteractionLayers.SequenceMask,

        // ---- Losses: at inference, the prediction's activation written to the label (LossLayers.cs) ----
        ["BinaryCrossEntropyLoss"] = LossLayers.BinaryCrossEntropy,
        ["CrossEntropyLoss"] = LossLayers.CrossEntropy,
        ["MultiCrossEntropyLoss"] = LossLayers.MultiCrossEntropy,
    };
}
