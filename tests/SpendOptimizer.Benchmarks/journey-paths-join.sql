-- The path-building query as it ran before touchpoints were partitioned (before 0015): conversions aggregated per
-- journey, then joined back to the touches. Frozen here as the baseline partition.sh measures against.
with conversions as (
    select journey_id, min(ts) as converted_at, sum(value) as value
    from touchpoints where workspace_id = @ws and event = 'conversion'
    group by journey_id
), journeys as (
    select string_agg(t.channel, ' > ' order by t.ts, t.channel) as path,
           c.converted_at is not null as converted,
           coalesce(c.value, 0) as value,
           coalesce(c.converted_at, max(t.ts)) as ended_at
    from touchpoints t left join conversions c on c.journey_id = t.journey_id
    where t.workspace_id = @ws and t.event = 'touch' and (c.converted_at is null or t.ts <= c.converted_at)
    group by t.journey_id, c.converted_at, c.value
)
select path,
       count(*) filter (where converted)::float8,
       coalesce(sum(value), 0)::float8,
       count(*) filter (where not converted)::float8
from journeys
where (@from::date is null or ended_at >= @from::date) and (@to::date is null or ended_at < @to::date + 1)
group by path
