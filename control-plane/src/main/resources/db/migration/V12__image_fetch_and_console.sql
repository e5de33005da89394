-- Agent protocol version 4, the control plane's side: which image parts each command references (FetchImage
-- serves a host only the parts its own commands name), console reads as commands whose answer is kept
-- in PostgreSQL (so whichever replica took the REST call can read it), and the version each session
-- negotiated (so a replica knows whether a host can answer a ReadConsole before it asks).

-- ReadConsole commands target "console:<instance id>", a target of their own: they never supersede the
-- instance's PutGuest/DeleteGuest, nor are superseded by them.
alter table agent_command drop constraint agent_command_type_check;
alter table agent_command add constraint agent_command_type_check check (type in ('PutGuest', 'DeleteGuest', 'ReadConsole'));

-- The answer's payload, for commands that have one: a ReadConsole's ConsoleTail message, protobuf-encoded.
-- Written in the transaction that records the command's success.
alter table agent_command add column result bytea;
create index agent_command_console_idx on agent_command (created_at) where type = 'ReadConsole';

-- The SHA-256 of every image part a command names (a PutGuest's GuestImage), written with the command.
-- Rows stay as long as their command does, whatever its state: an agent may still be fetching the parts of a
-- PutGuest that a newer one superseded.
create table agent_command_image (
    command_id text not null references agent_command (id) on delete cascade,
    sha256     text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    primary key (command_id, sha256)
);
create index agent_command_image_sha256_idx on agent_command_image (sha256);

-- The version both sides speak on the session's stream (the Welcome's). Null for sessions opened before
-- this column existed: they count as version 1 until their agent says Hello again.
alter table agent_session add column protocol_version integer check (protocol_version > 0);
