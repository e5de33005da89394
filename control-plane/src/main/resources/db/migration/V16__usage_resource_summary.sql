-- Rollups at scale (issue 7, docs/metering.md "Scaling"):
--
-- 1. usage_resource: one row per metered resource, kept by LifecycleLog in the transaction of each new fact,
--    so the sweep finds the resources whose hours are not settled by index instead of grouping the whole
--    lifecycle_event table every firing. A summary of the log, never a source of usage: rollups are still
--    integrated from lifecycle_event alone.
-- 2. usage_hourly's unique key leads with resource_id: recomputes read and write one resource's hours, and the
--    key then serves them, so the separate (resource_id, hour) index is redundant — one index fewer to write for
--    every hour row. The key's columns are unchanged: UNIQUE(tenant, resource, meter, hour).

create table usage_resource (
    resource_id      text        primary key,
    -- The tenant of the resource's first fact (as the recompute reads it).
    tenant_id        text        not null,
    -- Earliest and latest occurred_at of its facts.
    first_fact_at    timestamptz not null,
    last_fact_at     timestamptz not null,
    -- The earliest deleted fact's occurred_at (the API's or a host's); null while not deleted.
    deleted_at       timestamptz,
    -- When its latest fact was recorded: a late fact on a deleted resource keeps it unsettled for a while.
    last_recorded_at timestamptz not null
);
-- The sweep's two questions: which resources are not deleted, which had a fact recorded recently.
create index usage_resource_live_idx on usage_resource (resource_id) where deleted_at is null;
create index usage_resource_recorded_idx on usage_resource (last_recorded_at);

insert into usage_resource (resource_id, tenant_id, first_fact_at, last_fact_at, deleted_at, last_recorded_at)
select instance_id, (array_agg(tenant_id order by id))[1], min(occurred_at), max(occurred_at),
       min(occurred_at) filter (where event = 'deleted'), max(recorded_at)
  from lifecycle_event
 group by instance_id;

alter table usage_hourly drop constraint usage_hourly_key;
alter table usage_hourly add constraint usage_hourly_key unique (resource_id, meter, hour, tenant_id);
drop index usage_hourly_resource_idx;
