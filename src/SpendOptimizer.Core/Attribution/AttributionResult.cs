namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// One channel's credit, in ChannelAttribution's terms: conversions and conversion value credited to it.
/// Markov runs also carry the removal effects (share of conversions, and of value, lost without the channel).
/// </summary>
public sealed record ChannelCredit(string Channel, double Conversions, double Value, double? RemovalEffect = null, double? ValueRemovalEffect = null);

/// <summary>An attribution model's answer: credits that add up to the totals, and how it was computed (Markov solve, or data-driven hold-out quality).</summary>
public sealed record AttributionResult(
    string Model,
    IReadOnlyList<ChannelCredit> Credits,
    double TotalConversions,
    double TotalValue,
    MarkovDiagnostics? Markov = null,
    DataDrivenAttribution.Quality? DataDriven = null)
{
    public ChannelCredit? this[string channel] => Credits.FirstOrDefault(c => c.Channel == channel);
}

/// <summary>How an absorbing-chain solve went: P(conversion) from START, states, iterations and final residual.</summary>
public sealed record MarkovDiagnostics(
    int Order,
    MarkovCollapse Collapse,
    int States,
    double ConversionProbability,
    double ValuePerJourney,
    int Iterations,
    double Residual,
    double Tolerance,
    bool Converged,
    IReadOnlyList<Transition> Transitions);

/// <summary>One edge of the fitted chain. States are "(start)", "(conversion)", "(null)" or the last k channels joined by " > ".</summary>
public sealed record Transition(string From, string To, double Probability);
