namespace SpendOptimizer.Core.Inputs;

/// <summary>Rules every channel name obeys, so names survive paths, CSV and spreadsheets unchanged.</summary>
public static class ChannelName
{
    public const int MaxLength = 100;

    /// <summary>Returns why <paramref name="name"/> is not a usable channel name, or null when it is.</summary>
    public static string? Validate(string name)
    {
        if (name.Length == 0) return "channel is empty";
        if (name.Length > MaxLength) return $"channel is longer than {MaxLength} characters";
        if (name != name.Trim()) return "channel has leading or trailing spaces";
        if (name.Contains('>')) return "channel contains '>', which separates channels in a path";
        foreach (var ch in name)
            if (char.IsControl(ch)) return "channel contains a control character";
        return null;
    }
}
