-- The reconciliation report (issue 7): billed running seconds against each guest's running-seconds counter.

-- Deliveries of an agent's fact that the log refused because it held the fact already (same host,
-- incarnation and report seq): a lost acknowledgement, or a report resent by the agent's next incarnation.
-- One row per fact, written only when a repeat arrives; never billed, counted to show that it was ignored.
create table lifecycle_repeat (
    host_id        text        not null,
    incarnation_id text        not null,
    report_seq     bigint      not null,
    instance_id    text        not null,
    repeats        bigint      not null check (repeats > 0),
    last_at        timestamptz not null,
    primary key (host_id, incarnation_id, report_seq)
);
create index lifecycle_repeat_instance_idx on lifecycle_repeat (instance_id);

-- A counter lives in the agent's ledger and only grows; it restarts from 0 when the agent loses its ledger
-- (a fresh state dir, an unreadable file). Readings are recorded only from the host's current session, so a
-- reading below the one before is such a restart: the seconds counted before it are carried here.
alter table guest_counter
    add column carried_seconds bigint  not null default 0 check (carried_seconds >= 0),
    add column resets          integer not null default 0 check (resets >= 0);
