-- Agent sessions: which replica holds each host's Connect stream. One row per host; a Hello takes the
-- row over from whichever replica held it (the newest connection wins). A replica acts for a host only
-- while the row names its replica and connection; the lease says until when the holder must have heard
-- from the agent for the row to count as live (dispatchers check it; nothing deletes a lapsed row).
create table agent_session (
    host_id          text primary key references host (id) on delete cascade,
    replica_id       text        not null,
    -- One Connect stream: lets a replica tell its current stream for a host from an older one it still holds.
    connection_id    text        not null,
    incarnation_id   text        not null,
    boot_id          text        not null,
    -- Server clock minus agent clock at Hello, to correct the times agents report.
    clock_offset_ms  bigint      not null,
    connected_at     timestamptz not null,
    lease_expires_at timestamptz not null,
    last_seen_at     timestamptz not null
);
create index agent_session_replica_idx on agent_session (replica_id);
