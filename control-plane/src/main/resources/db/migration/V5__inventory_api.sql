-- Inventory's one-time facts, such as "the all-in-one site and rack were created": recorded once across
-- all replicas and restarts, so that what ops later rename or delete is never put back behind their back.
create table inventory_seed (
    name       text primary key,
    created_at timestamptz not null
);

-- The ops API lists hosts by rack and by state; join tokens by their slot.
create index join_token_host_idx on join_token (host_id);
