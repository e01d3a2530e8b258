using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// An ordered sequence of channels, written as ChannelAttribution does: "a > b > c".
/// Parsing tolerates any spacing around '>' and normalises to the canonical " > " form.
/// </summary>
public sealed class ChannelPath : IEquatable<ChannelPath>
{
    public const string Separator = " > ";

    public IReadOnlyList<string> Channels { get; }

    private ChannelPath(string[] channels) => Channels = channels;

    public static ChannelPath Of(params string[] channels)
    {
        if (channels.Length == 0) throw new ArgumentException("a path needs at least one channel", nameof(channels));
        foreach (var c in channels)
            if (ChannelName.Validate(c) is { } reason) throw new ArgumentException(reason, nameof(channels));
        return new ChannelPath(channels);
    }

    /// <summary>Parses "a > b > c"; returns null and a reason when the text is not a path.</summary>
    public static ChannelPath? TryParse(string? text, out string? reason)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = "path is empty";
            return null;
        }
        var parts = text.Split('>');
        var channels = new string[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var name = parts[i].Trim();
            if (name.Length == 0)
            {
                reason = $"channel {i + 1} of the path is empty (paths look like \"a > b > c\")";
                return null;
            }
            if (ChannelName.Validate(name) is { } bad)
            {
                reason = $"channel {i + 1} of the path: {bad}";
                return null;
            }
            channels[i] = name;
        }
        reason = null;
        return new ChannelPath(channels);
    }

    public override string ToString() => string.Join(Separator, Channels);

    public bool Equals(ChannelPath? other) => other is not null && Channels.SequenceEqual(other.Channels, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ChannelPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in Channels) hash.Add(c, StringComparer.Ordinal);
        return hash.ToHashCode();
    }
}
