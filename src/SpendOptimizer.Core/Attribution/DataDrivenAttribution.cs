using Microsoft.ML;
using Microsoft.ML.Data;

namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Data-driven attribution: an ML.NET logistic regression predicts conversion from a journey's touches
/// (touch count per channel, and recency 1/(1 + touches after the channel's last touch)); each converting path's
/// conversions and value go to its channels in proportion to the drop in predicted probability when that channel's
/// touches are removed (evenly when no removal lowers it). Distinct paths are weighted by their conversions and
/// nulls, so the fit equals one on the raw journeys. Quality is the weighted AUC on a seeded 20% hold-out of paths.
/// </summary>
public static class DataDrivenAttribution
{
    public sealed record Quality(double Auc, double TrainWeight, double HoldoutWeight);

    private sealed class Row
    {
        public bool Label { get; set; }
        public float Weight { get; set; }
        [VectorType] public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public float Probability { get; set; }
    }

    /// <param name="maxFeatureCells">Rows × features the dense training set may hold; past it the run is refused before it is built.</param>
    public static (AttributionResult Result, Quality Quality) Run(PathSet paths, int seed = 1, long maxFeatureCells = long.MaxValue, CancellationToken ct = default)
    {
        var channels = paths.Channels.Count;
        var cells = 2L * channels * paths.Count;
        if (cells > maxFeatureCells)
            throw new TooLargeException("model", $"data_driven would train on {paths.Count:N0} distinct paths × {2 * channels:N0} features = {cells:N0} cells; the limit is {maxFeatureCells:N0}: use markov or shapley, or narrow the window");
        var holdout = new bool[paths.Count];
        var rng = new Random(seed);
        for (var p = 0; p < paths.Count; p++) holdout[p] = rng.NextDouble() < 0.2;

        var ml = new MLContext(seed);
        // Weights are single precision in the trainer: a count below its range (1e-300) is no journey at all.
        List<Row> Rows(bool includeHoldout)
        {
            var rows = new List<Row>();
            for (var p = 0; p < paths.Count; p++)
            {
                if (holdout[p] && !includeHoldout) continue;
                var features = Features(paths.Paths[p], channels, removed: -1);
                if ((float)paths.Conversions[p] > 0) rows.Add(new Row { Label = true, Weight = (float)paths.Conversions[p], Features = features });
                if ((float)paths.Nulls[p] > 0) rows.Add(new Row { Label = false, Weight = (float)paths.Nulls[p], Features = features });
            }
            return rows;
        }
        var train = Rows(includeHoldout: false);
        // Too few paths for the hold-out to leave any journey in training: train on all of them (the AUC is then in-sample).
        if (train.Count == 0) train = Rows(includeHoldout: true);
        if (train.Count == 0)
            throw new TooLargeException("model", "data_driven has no journeys to learn from: every path's conversions and nulls are 0 or below 1e-38; use markov or shapley");
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2 * channels);
        var data = ml.Data.LoadFromEnumerable(train, schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
            labelColumnName: nameof(Row.Label), featureColumnName: nameof(Row.Features), exampleWeightColumnName: nameof(Row.Weight));
        var model = trainer.Fit(data);
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model, inputSchemaDefinition: schema);
        double Predict(int[] path, int removed) => engine.Predict(new Row { Features = Features(path, channels, removed) }).Probability;

        var conversions = new double[channels];
        var values = new double[channels];
        var drops = new double[channels];
        var scored = new List<(double Score, double Positive, double Negative)>();
        for (var p = 0; p < paths.Count; p++)
        {
            if ((p & 0xfff) == 0) ct.ThrowIfCancellationRequested();
            var path = paths.Paths[p];
            if (holdout[p]) scored.Add((Predict(path, -1), paths.Conversions[p], paths.Nulls[p]));
            if (paths.Conversions[p] == 0 && paths.Values[p] == 0) continue;
            var full = Predict(path, -1);
            var present = path.Distinct().ToArray();
            var total = 0.0;
            foreach (var c in present) total += drops[c] = Math.Max(0, full - Predict(path, c));
            foreach (var c in present)
            {
                var share = total > 0 ? drops[c] / total : 1.0 / present.Length;
                conversions[c] += paths.Conversions[p] * share;
                values[c] += paths.Values[p] * share;
            }
        }
        var credits = paths.Channels.Select((c, i) => new ChannelCredit(c, conversions[i], values[i])).ToList();
        var quality = new Quality(WeightedAuc(scored), train.Sum(r => (double)r.Weight), scored.Sum(s => s.Positive + s.Negative));
        return (new AttributionResult("data_driven", credits, paths.TotalConversions, paths.TotalValue), quality);
    }

    private static float[] Features(int[] path, int channels, int removed)
    {
        var f = new float[2 * channels];
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == removed) continue;
            f[c] += 1;
            f[channels + c] = 1f / (1 + path.Length - 1 - i);
        }
        return f;
    }

    /// <summary>P(score of a converting journey > score of a non-converting one), ties half, with journey counts as weights.</summary>
    public static double WeightedAuc(IReadOnlyList<(double Score, double Positive, double Negative)> scored)
    {
        double positives = 0, negatives = 0, concordant = 0;
        foreach (var group in scored.GroupBy(s => s.Score).OrderBy(g => g.Key))
        {
            double pos = group.Sum(s => s.Positive), neg = group.Sum(s => s.Negative);
            concordant += pos * negatives + 0.5 * pos * neg;
            positives += pos;
            negatives += neg;
        }
        return positives > 0 && negatives > 0 ? concordant / (positives * negatives) : double.NaN;
    }
}
