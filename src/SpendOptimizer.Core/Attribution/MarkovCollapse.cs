namespace SpendOptimizer.Core.Attribution;

/// <summary>How a Markov run treats a channel seen several times in a row (a > a > b).</summary>
public enum MarkovCollapse
{
    /// <summary>
    /// ChannelAttribution's rule: order-k states are built from the raw path, then identical consecutive states are
    /// merged. At order 1 this equals collapsing channels; at higher orders the repeats stay in the states' memory
    /// (a > a > b at order 2 passes through "a > a").
    /// </summary>
    States,

    /// <summary>Repeated channels are merged before states are built (a > a > b is read as a > b).</summary>
    Channels,
}

public static class MarkovCollapseNames
{
    public static string Name(this MarkovCollapse collapse) => collapse switch
    {
        MarkovCollapse.States => "states",
        MarkovCollapse.Channels => "channels",
        _ => throw new ArgumentOutOfRangeException(nameof(collapse)),
    };

    public static MarkovCollapse Parse(string name) => name switch
    {
        "states" => MarkovCollapse.States,
        "channels" => MarkovCollapse.Channels,
        _ => throw new ArgumentException($"collapse must be states or channels, got '{name}'", nameof(name)),
    };
}
