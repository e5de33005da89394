-- Tenancy, identity, audit and the platform's idempotency records.
-- Ids are text in the external form (t-..., u-..., tok-...); they sort by creation time.

create table tenant (
    id               text primary key,
    name             text        not null check (length(name) between 1 and 200),
    slug             text        not null unique check (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    status           text        not null check (status in ('active', 'suspended')),
    suspended_reason text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    constraint tenant_suspension_has_reason check ((status = 'suspended') = (suspended_reason is not null))
);

create table tenant_quota (
    tenant_id  text primary key references tenant (id),
    vcpus      integer     not null check (vcpus >= 0),
    memory_mib bigint      not null check (memory_mib >= 0),
    disk_gib   bigint      not null check (disk_gib >= 0),
    instances  integer     not null check (instances >= 0),
    updated_at timestamptz not null
);

create table app_user (
    id            text primary key,
    tenant_id     text references tenant (id),
    email         text        not null check (length(email) between 3 and 254),
    name          text        not null check (length(name) between 1 and 200),
    role          text        not null check (role in ('ops-admin', 'ops-viewer', 'tenant-admin', 'tenant-member', 'tenant-viewer')),
    password_hash text,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    constraint app_user_ops_roles_have_no_tenant
        check ((tenant_id is null) = (role in ('ops-admin', 'ops-viewer')))
);
create unique index app_user_email_key on app_user (lower(email));
create index app_user_tenant_idx on app_user (tenant_id, id);

create table api_token (
    id           text primary key,
    user_id      text        not null references app_user (id) on delete cascade,
    tenant_id    text references tenant (id),
    name         text        not null check (length(name) between 1 and 100),
    prefix       text        not null unique,
    secret_hash  bytea       not null,
    created_by   text        not null,
    created_at   timestamptz not null,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
create index api_token_user_idx on api_token (user_id, id);

-- Append-only: rows are inserted, never updated or deleted by the application.
create table audit_event (
    id          text primary key,
    occurred_at timestamptz not null,
    tenant_id   text,
    actor_id    text,
    actor_role  text,
    action      text        not null,
    target      text,
    request_id  text,
    outcome     text        not null check (outcome in ('succeeded', 'denied')),
    details     jsonb       not null default '{}'::jsonb
);
create index audit_event_tenant_idx on audit_event (tenant_id, id);
create index audit_event_occurred_idx on audit_event (occurred_at);

-- First answers to POSTs that carried an Idempotency-Key. The key itself is not stored, only a hash
-- of it, and the answer is sealed with a key derived from it (see IdempotencyKey).
create table idempotency_record (
    caller_id    text        not null,
    method       text        not null,
    path         text        not null,
    key_hash     bytea       not null,
    fingerprint  bytea       not null,
    status       integer     not null,
    content_type text,
    location     text,
    sealed_body  bytea       not null,
    created_at   timestamptz not null,
    primary key (caller_id, method, path, key_hash)
);
create index idempotency_record_created_idx on idempotency_record (created_at);

-- One-time facts about this installation, e.g. that the bootstrap admin was created.
create table installation_fact (
    name       text primary key,
    value      text        not null,
    created_at timestamptz not null
);
