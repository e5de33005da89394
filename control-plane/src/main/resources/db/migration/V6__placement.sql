-- Placement groups: a tenant's hard rule for where its guests may land relative to one another.
create table placement_group (
    id         text primary key,
    tenant_id  text        not null references tenant (id),
    name       text        not null check (length(name) between 1 and 63),
    policy     text        not null check (policy in ('anti-affinity-host', 'anti-affinity-rack', 'affinity-host', 'affinity-rack')),
    scoring    text        not null check (scoring in ('bin-pack', 'spread')),
    created_at timestamptz not null,
    unique (tenant_id, name)
);

-- The allocation ledger: which host holds which resources for which consumer ("instance:<id>"). One
-- allocation per consumer; the sum per host never exceeds the host's allocatable capacity, which the plan
-- applier checks under the host's row lock in the transaction that inserts the allocation.
create table allocation (
    consumer_ref text primary key check (consumer_ref ~ '^[a-z]+:[A-Za-z0-9-]{1,64}$'),
    tenant_id    text        not null references tenant (id),
    host_id      text        not null references host (id),
    group_id     text references placement_group (id),
    vcpus        integer     not null check (vcpus between 1 and 1024),
    memory_mib   bigint      not null check (memory_mib between 1 and 16777216),
    disk_gib     bigint      not null check (disk_gib between 0 and 1048576),
    created_at   timestamptz not null
);
create index allocation_host_idx on allocation (host_id);
create index allocation_tenant_idx on allocation (tenant_id);
create index allocation_group_idx on allocation (group_id) where group_id is not null;
