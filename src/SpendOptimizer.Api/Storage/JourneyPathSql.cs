namespace SpendOptimizer.Api.Storage;

/// <summary>
/// The SQL that turns stored journeys into paths. Every step below the path grouping is one aggregate per journey,
/// with no join, so it runs partition by partition here and shard by shard on Citus (touchpoints distributed by
/// journey_id). Kept apart from the store so the plan checks and the benchmark run this exact text.
/// </summary>
internal static class JourneyPathSql
{
    /// <summary>Lets the per-journey aggregate run inside each hash partition of touchpoints; local to the transaction.</summary>
    public const string Partitionwise = "set local enable_partitionwise_aggregate = on; set local enable_partitionwise_join = on";

    /// <summary>
    /// A journey is its touches up to its first conversion (touches at the conversion's instant included); it converted
    /// when it has a conversion event (its value is the sum of its conversions' values), otherwise it counts as a null.
    /// Its events are read in one pass, conversions as null steps, and the path is cut at the first null. It belongs to
    /// the window when its conversion, or its last touch if it never converted, falls within [from, to]; a journey with
    /// no touch before its conversion has no path and is left out.
    /// </summary>
    public const string Paths = """
        with journeys as (
            select array_agg(case when event = 'touch' then channel end order by ts, event desc, channel) as steps,
                   min(ts) filter (where event = 'conversion') as converted_at,
                   sum(value) filter (where event = 'conversion') as value,
                   max(ts) filter (where event = 'touch') as last_touch
            from touchpoints where workspace_id = @ws
            group by journey_id
        ), paths as (
            select array_to_string(steps[:coalesce(array_position(steps, null) - 1, cardinality(steps))], ' > ') as path,
                   converted_at is not null as converted,
                   coalesce(value, 0) as value,
                   coalesce(converted_at, last_touch) as ended_at
            from journeys
        )
        select path,
               count(*) filter (where converted)::float8,
               coalesce(sum(value), 0)::float8,
               count(*) filter (where not converted)::float8
        from paths
        where path <> ''
          and (@from::date is null or ended_at >= @from::date) and (@to::date is null or ended_at < @to::date + 1)
        group by path
        """;

    public const string HasTouchpoints = "select exists (select 1 from touchpoints where workspace_id = @ws)";
}
