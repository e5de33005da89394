-- Inventory: sites, locations inside them, racks, hosts (slots and joined servers), host events and
-- join tokens. Rack units are numbered 1..height_u from the bottom; a rack that counts top-down only
-- changes how units are labelled, never how they are stored.

create table site (
    id         text primary key,
    name       text        not null unique check (length(name) between 1 and 100),
    address    text        not null default '' check (length(address) <= 500),
    timezone   text        not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table site_location (
    id         text primary key,
    site_id    text        not null references site (id),
    name       text        not null check (length(name) between 1 and 100),
    kind       text        not null check (kind in ('room', 'cage', 'hall', 'floor', 'other')),
    created_at timestamptz not null,
    updated_at timestamptz not null,
    unique (site_id, name)
);

create table rack (
    id              text primary key,
    site_id         text          not null references site (id),
    location_id     text references site_location (id),
    name            text          not null check (length(name) between 1 and 100),
    facility_id     text,
    asset_tag       text,
    row_name        text,
    height_u        integer       not null check (height_u between 1 and 100),
    numbering       text          not null check (numbering in ('bottom-up', 'top-down')),
    power_budget_kw numeric(8, 2) check (power_budget_kw >= 0),
    status          text          not null check (status in ('planned', 'active', 'decommissioning', 'retired')),
    created_at      timestamptz   not null,
    updated_at      timestamptz   not null,
    unique (site_id, name)
);
create index rack_location_idx on rack (location_id);

create table host (
    id                  text primary key,
    -- A host joined without a slot is unracked until ops give it one.
    rack_id             text references rack (id),
    position_u          integer check (position_u >= 1),
    height_u            integer       not null check (height_u between 1 and 20),
    hostname            text check (length(hostname) <= 253),
    serial              text,
    asset_tag           text,
    notes               text          not null default '',
    labels              jsonb         not null default '{}'::jsonb,
    cpu_ratio           numeric(6, 2) not null check (cpu_ratio > 0),
    memory_ratio        numeric(6, 2) not null check (memory_ratio > 0),
    disk_ratio          numeric(6, 2) not null check (disk_ratio > 0),
    reserved_vcpus      integer       not null check (reserved_vcpus >= 0),
    reserved_memory_mib bigint        not null check (reserved_memory_mib >= 0),
    reserved_disk_gib   bigint        not null check (reserved_disk_gib >= 0),
    state               text          not null check (state in ('REGISTERED', 'READY', 'UNREACHABLE', 'REVOKED')),
    cordoned            boolean       not null default false,
    -- What the agent measured at its last Hello, and its latest heartbeat.
    facts               jsonb,
    utilisation         jsonb,
    joined_at           timestamptz,
    last_heartbeat_at   timestamptz,
    -- Optimistic concurrency for placement: bumped by every change to what the host can hold.
    version             bigint        not null default 0,
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null,
    constraint host_racked_has_position check ((rack_id is null) = (position_u is null))
);
create index host_rack_idx on host (rack_id, position_u);
create index host_state_idx on host (state, last_heartbeat_at);
create index host_labels_idx on host using gin (labels);

-- Append-only: every state change of a host, with its reason.
create table host_event (
    id          text primary key,
    host_id     text        not null references host (id) on delete cascade,
    occurred_at timestamptz not null,
    kind        text        not null,
    from_state  text,
    to_state    text,
    reason      text        not null
);
create index host_event_host_idx on host_event (host_id, id);

create table join_token (
    id          text primary key,
    prefix      text        not null unique,
    secret_hash bytea       not null,
    -- A pre-registered slot the joining server fills; null lets the join create an unracked host.
    host_id     text references host (id) on delete cascade,
    created_by  text        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    used_by_host_id text
);
