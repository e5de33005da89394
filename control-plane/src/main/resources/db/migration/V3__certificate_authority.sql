-- The installation's certificate authority for agent mTLS: created once, by whichever replica gets
-- there first, under an advisory lock. Its private key is stored encrypted (AES-256-GCM) with a key
-- the operator keeps in a file outside the database, so a database dump alone cannot mint agents.
create table certificate_authority (
    id              integer primary key check (id = 1),
    certificate_der bytea       not null,
    encrypted_key   bytea       not null,
    created_at      timestamptz not null
);
