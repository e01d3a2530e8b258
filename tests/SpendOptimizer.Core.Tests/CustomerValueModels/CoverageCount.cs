using SpendOptimizer.Core.CustomerValueModels;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

/// <summary>How often a fit's 90% intervals hold the true parameters over repeated synthetic bases.</summary>
internal sealed class CoverageCount(IReadOnlyList<string> names, IReadOnlyList<double> truth)
{
    private readonly int[] _hits = new int[names.Count];

    public int Fits { get; private set; }

    public void Add(FitSummary fit)
    {
        Fits++;
        for (var i = 0; i < names.Count; i++)
        {
            var e = fit[names[i]];
            if (e.Lower90 <= truth[i] && truth[i] <= e.Upper90) _hits[i]++;
        }
    }

    public double Share(int i) => (double)_hits[i] / Fits;

    public override string ToString() => string.Join(", ", names.Select((n, i) => $"{n} {Share(i):P0}"));
}
