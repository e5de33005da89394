-- The agent command log, a transactional outbox (ARCHITECTURE §3.3): a decision and the commands that
-- carry it out commit together; each host's commands are numbered, delivered in order at least once by
-- whichever replica holds the host's stream, and applied idempotently by the agent.
create table agent_command_seq (
    host_id  text   primary key references host (id) on delete cascade,
    last_seq bigint not null check (last_seq > 0)
);

create table agent_command (
    id                text        primary key,
    host_id           text        not null references host (id) on delete cascade,
    seq               bigint      not null check (seq > 0),
    -- What the command is about ("instance:<id>") and which generation of it the command carries out.
    target            text        not null check (target ~ '^[a-z]+:[A-Za-z0-9-]{1,64}$'),
    target_generation bigint      not null check (target_generation > 0),
    type              text        not null check (type in ('PutGuest', 'DeleteGuest')),
    -- The action exactly as delivered: the Command message's action, protobuf-encoded.
    payload           bytea       not null,
    -- pending until the agent answers; superseded when a newer command for the same target came first.
    state             text        not null check (state in ('pending', 'succeeded', 'failed', 'superseded')),
    deliveries        integer     not null default 0 check (deliveries >= 0),
    created_at        timestamptz not null,
    delivered_at      timestamptz,
    completed_at      timestamptz,
    failure_code      text,
    failure_reason    text,
    unique (host_id, seq),
    check ((state = 'failed') = (failure_code is not null))
);
create index agent_command_pending_idx on agent_command (host_id, seq) where state = 'pending';
create index agent_command_target_idx on agent_command (target, seq);
