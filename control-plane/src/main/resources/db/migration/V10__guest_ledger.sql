-- What hosts observe about their guests (agent protocol version 3): the lifecycle event log that
-- metering integrates (ARCHITECTURE §3.6), each guest's independent running-seconds counter, the
-- domains each host last listed (for resync and orphan reports), and each agent incarnation's clock
-- offset (to correct the times it reported, even when its reports arrive after it restarted).
--
-- No foreign keys to instance, tenant or host on the history tables: they record what was observed
-- and must outlive what they describe.

create table agent_incarnation (
    host_id         text        not null references host (id) on delete cascade,
    incarnation_id  text        not null check (length(incarnation_id) between 1 and 64),
    -- Server clock minus agent clock, measured at this incarnation's latest Hello.
    clock_offset_ms bigint      not null,
    first_hello_at  timestamptz not null,
    last_hello_at   timestamptz not null,
    primary key (host_id, incarnation_id)
);

-- Append-only: facts are added once and never changed; a correction is a new fact.
create table lifecycle_event (
    id              bigint generated always as identity primary key,
    instance_id     text        not null,
    tenant_id       text        not null,
    -- agent: observed by the host's agent; control-plane: decided by the API (a delete stops billing at once).
    source          text        not null check (source in ('agent', 'control-plane')),
    host_id         text,
    incarnation_id  text,
    report_seq      bigint check (report_seq > 0),
    event           text        not null check (event in ('provisioned', 'started', 'stopped', 'resized', 'deleted')),
    -- Server time: the agent's time corrected by its incarnation's clock offset, in whole seconds.
    occurred_at     timestamptz not null check (occurred_at = date_trunc('second', occurred_at)),
    agent_time      timestamptz,
    clock_offset_ms bigint,
    generation      bigint,
    vcpus           integer check (vcpus >= 0),
    memory_mib      bigint check (memory_mib >= 0),
    root_disk_gib   bigint check (root_disk_gib >= 0),
    recorded_at     timestamptz not null,
    constraint lifecycle_event_agent_key unique (host_id, incarnation_id, report_seq),
    constraint lifecycle_event_agent_fact_is_keyed check ((source = 'agent') =
        (host_id is not null and incarnation_id is not null and report_seq is not null and agent_time is not null))
);
create unique index lifecycle_event_api_deleted_idx on lifecycle_event (instance_id)
    where source = 'control-plane' and event = 'deleted';
create index lifecycle_event_instance_idx on lifecycle_event (instance_id, occurred_at);
create index lifecycle_event_tenant_idx on lifecycle_event (tenant_id, occurred_at);

create function lifecycle_event_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'lifecycle_event is append-only: % refused', tg_op;
end
$$;
create trigger lifecycle_event_append_only before update or delete on lifecycle_event
    for each row execute function lifecycle_event_is_append_only();

-- The latest running-seconds counter each host's agent reported for each guest.
create table guest_counter (
    host_id         text        not null,
    instance_id     text        not null,
    running_seconds bigint      not null check (running_seconds >= 0),
    power           text        not null,
    reported_at     timestamptz not null,
    primary key (instance_id, host_id)
);

-- The domains named like instances that each host listed at its latest Hello.
create table host_domain (
    host_id      text        not null references host (id) on delete cascade,
    name         text        not null,
    -- freehold: defined by Freehold (its metadata names this instance); foreign: anything else.
    owner        text        not null check (owner in ('freehold', 'foreign')),
    generation   bigint,
    power        text        not null,
    reason       text,
    observed_at  timestamptz not null,
    primary key (host_id, name)
);

-- The guest as its host last observed it, ordered against the command log by the seq of the last
-- command the agent had applied: the reconciler acts on an observation only when it is newer than the
-- command it last saw answered.
alter table instance
    add column observed_power       text check (observed_power in ('running', 'stopped', 'absent')),
    add column observed_applied_seq bigint,
    add column observed_at          timestamptz;
