-- Flavors: the fixed shapes (vCPUs, memory, root disk) tenants choose instances from. The sizes of a
-- flavor never change once created (instances refer to them); the application refuses such a change and
-- nothing here updates them. The upper bounds are those of the allocation ledger (V6), so every flavor
-- can be placed; 64 MiB is the least memory a guest is given.
create table flavor (
    id            text primary key,
    name          text        not null unique check (name ~ '^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$'),
    vcpus         integer     not null check (vcpus between 1 and 1024),
    memory_mib    bigint      not null check (memory_mib between 64 and 16777216),
    root_disk_gib bigint      not null check (root_disk_gib between 1 and 1048576),
    visibility    text        not null check (visibility in ('public', 'limited')),
    disabled      boolean     not null default false,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    constraint flavor_updated_after_created check (updated_at >= created_at)
);

-- Which tenants may use a limited flavor. Rows of a public flavor are kept and take effect when it is
-- made limited, so an operator can prepare the list before narrowing a flavor without cutting anyone off.
-- A grant is part of its flavor: deleting the flavor deletes its grants (cascade). Tenants are never
-- deleted, only suspended, so the tenant reference stays restrictive: a future tenant deletion must
-- decide about its grants explicitly rather than lose them silently.
create table flavor_tenant (
    flavor_id  text        not null references flavor (id) on delete cascade,
    tenant_id  text        not null references tenant (id),
    granted_at timestamptz not null,
    primary key (flavor_id, tenant_id)
);
-- A tenant's flavor list looks grants up by tenant.
create index flavor_tenant_tenant_idx on flavor_tenant (tenant_id, flavor_id);
