-- Hourly usage rollups (issue 7, ARCHITECTURE §3.6): what the lifecycle log integrates to, per UTC hour,
-- recomputed idempotently from the log. No foreign keys: usage outlives the instance it describes.

create table usage_hourly (
    tenant_id   text        not null,
    -- The instance id (other resources plug in with their own ids).
    resource_id text        not null,
    -- The meter's name; for instance.seconds with the flavor (shape) it ran as, e.g.
    -- 'instance.seconds:2vcpu-4096mib-20gib', so an instance resized within an hour has a row per flavor
    -- and the key stays (tenant, resource, meter, hour).
    meter       text        not null check (length(meter) between 1 and 200),
    -- The hour's first second, UTC.
    hour        timestamptz not null check (hour = date_trunc('hour', hour at time zone 'UTC') at time zone 'UTC'),
    -- Exact, in the meter's stored unit (memory in MiB·s): an integer, never rounded.
    quantity    bigint      not null check (quantity >= 0),
    computed_at timestamptz not null,
    -- Billing closes hours; a closed hour never changes again (a late difference is a usage_adjustment).
    closed      boolean     not null default false,
    closed_at   timestamptz,
    constraint usage_hourly_key unique (tenant_id, resource_id, meter, hour)
);
create index usage_hourly_resource_idx on usage_hourly (resource_id, hour);
create index usage_hourly_tenant_hour_idx on usage_hourly (tenant_id, hour);

-- Late differences on closed hours: the recomputed quantity minus what was closed and already adjusted.
-- Billing takes each into the next open period (by recorded_at). Append-only.
create table usage_adjustment (
    id          bigint generated always as identity primary key,
    tenant_id   text        not null,
    resource_id text        not null,
    meter       text        not null,
    -- The closed hour the difference belongs to.
    hour        timestamptz not null,
    delta       bigint      not null check (delta <> 0),
    recorded_at timestamptz not null,
    reason      text        not null
);
create index usage_adjustment_key_idx on usage_adjustment (tenant_id, resource_id, meter, hour);
create index usage_adjustment_recorded_idx on usage_adjustment (recorded_at);

create function usage_adjustment_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'usage_adjustment is append-only: % refused', tg_op;
end
$$;
create trigger usage_adjustment_append_only before update or delete on usage_adjustment
    for each row execute function usage_adjustment_is_append_only();

-- A closed hour is final: refused at the database too, whatever the caller.
create function usage_hourly_closed_is_final() returns trigger language plpgsql as $$
begin
    raise exception 'usage_hourly % % % is closed: % refused', old.resource_id, old.meter, old.hour, tg_op;
end
$$;
create trigger usage_hourly_closed_is_final before update or delete on usage_hourly
    for each row when (old.closed) execute function usage_hourly_closed_is_final();
