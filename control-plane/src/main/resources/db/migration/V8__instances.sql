-- Instances (ARCHITECTURE §3.1): what the tenant asked for (the spec, with a generation bumped on every
-- change) and what the control plane and, later, the host's agent observed (the status). The flavor's
-- sizes are copied at create, so an instance keeps its shape whatever happens to the flavor.
--
-- A deleted instance keeps its row, with deleted_at set, for the history that metering will need; it
-- no longer holds its name (the unique index covers live rows only) nor its flavor or placement group:
-- those may then be deleted, which clears the reference (set null). While an instance is live the
-- application refuses such a delete (catalog.FlavorReferences, scheduling.GroupReferences), and the
-- constraint instance_live_has_flavor backs that up for flavors.
--
-- host_id has no foreign key on purpose: it is an observed fact, kept as history after the instance is
-- gone, and the host's slot may be deleted by then.
create table instance (
    id                  text primary key check (id ~ '^i-[0-9a-hjkmnp-tv-z]{26}$'),
    tenant_id           text        not null references tenant (id),
    name                text        not null check (name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    flavor_id           text references flavor (id) on delete set null,
    vcpus               integer     not null check (vcpus between 1 and 1024),
    memory_mib          bigint      not null check (memory_mib between 64 and 16777216),
    root_disk_gib       bigint      not null check (root_disk_gib between 1 and 1048576),
    image_ref           text        not null check (length(image_ref) between 1 and 255),
    ssh_keys            jsonb       not null default '[]'::jsonb
                                    check (jsonb_typeof(ssh_keys) = 'array' and jsonb_array_length(ssh_keys) <= 32),
    user_data           text check (octet_length(user_data) <= 65536),
    placement_group_id  text references placement_group (id) on delete set null,
    labels              jsonb       not null default '{}'::jsonb check (jsonb_typeof(labels) = 'object'),
    -- spec
    generation          bigint      not null check (generation >= 1),
    power_state         text        not null check (power_state in ('running', 'stopped')),
    reboot_count        bigint      not null default 0 check (reboot_count >= 0),
    -- status
    phase               text        not null
                                    check (phase in ('PENDING', 'SCHEDULED', 'PROVISIONING', 'RUNNING', 'STOPPED', 'FAILED', 'DELETING')),
    host_id             text,
    observed_generation bigint      not null default 0,
    conditions          jsonb       not null default '[]'::jsonb check (jsonb_typeof(conditions) = 'array'),
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    deleted_at          timestamptz,
    constraint instance_updated_after_created check (updated_at >= created_at),
    constraint instance_observed_not_ahead check (observed_generation between 0 and generation),
    constraint instance_pending_has_no_host check (phase <> 'PENDING' or host_id is null),
    constraint instance_placed_has_host check (phase not in ('SCHEDULED', 'PROVISIONING', 'RUNNING', 'STOPPED') or host_id is not null),
    constraint instance_deleted_was_deleting check (deleted_at is null or phase = 'DELETING'),
    constraint instance_live_has_flavor check (deleted_at is not null or flavor_id is not null)
);
create unique index instance_tenant_name_idx on instance (tenant_id, name) where deleted_at is null;
create index instance_tenant_idx on instance (tenant_id, id) where deleted_at is null;
create index instance_pending_idx on instance (id) where phase = 'PENDING' and deleted_at is null;
create index instance_flavor_idx on instance (flavor_id) where deleted_at is null;
create index instance_group_idx on instance (placement_group_id) where placement_group_id is not null and deleted_at is null;

-- The reconcilers' work queue (ARCHITECTURE §3.2): keys to look at again, at most one row per key.
-- Events only add keys; a reconciler claims due rows with FOR UPDATE SKIP LOCKED, re-reads everything,
-- and in the same transaction deletes the row (done) or pushes not_before back (again later).
create table work_queue (
    kind        text        not null check (kind ~ '^[a-z][a-z-]{0,31}$'),
    key         text        not null check (length(key) between 1 and 200),
    not_before  timestamptz not null,
    attempts    integer     not null default 0 check (attempts >= 0),
    enqueued_at timestamptz not null,
    constraint work_queue_kind_key unique (kind, key)
);
create index work_queue_due_idx on work_queue (kind, not_before);
