using SpendOptimizer.Api.Csv;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// Raw journeys, one event a row: touches (event "touch", with channel and optional campaign) and the
/// journey's conversion (event "conversion", no channel, with its value).
/// </summary>
public static class TouchpointUpload
{
    public static readonly TableSchema Schema = new(
        ["journey_id", "timestamp", "event", "channel", "campaign", "value"],
        ["journey_id", "timestamp"]);

    public static Touchpoint Parse(InputRow r)
    {
        var journey = r.RequiredText("journey_id");
        var ts = r.Timestamp("timestamp");
        var kind = r.Choice<TouchpointEvent>("event", TouchpointEvent.Touch);
        string channel;
        if (kind == TouchpointEvent.Touch) channel = r.Channel();
        else
        {
            channel = "";
            if (r.Text("channel") is { } c) r.Fail("channel", "a conversion row has no channel; send the last touch as its own row", c);
        }
        var campaign = r.Text("campaign");
        if (campaign is { Length: > 200 }) r.Fail("campaign", "is longer than 200 characters", campaign[..40] + "…");
        var value = r.Number("value", 0, min: 0);
        if (kind == TouchpointEvent.Touch && value != 0) r.Fail("value", "only conversion rows carry a value", r.Text("value"));
        return new Touchpoint(journey, ts, kind, channel, campaign, value);
    }

    public static readonly IReadOnlyList<CsvColumn<Touchpoint>> Columns =
    [
        CsvColumn<Touchpoint>.Text("journey_id", t => t.JourneyId),
        CsvColumn<Touchpoint>.Timestamp("timestamp", t => t.Timestamp),
        CsvColumn<Touchpoint>.Text("event", t => t.Event.ToString().ToLowerInvariant()),
        CsvColumn<Touchpoint>.Text("channel", t => t.Channel),
        CsvColumn<Touchpoint>.Text("campaign", t => t.Campaign),
        CsvColumn<Touchpoint>.Money("value", t => t.Value),
    ];
}
