-- Images: the bootable contents instances start from (docs/images.md). An image is public (tenant_id is
-- null, made by an operator) or private to the tenant that owns it. Its bytes are one or two parts, each
-- uploaded separately and stored once, by their SHA-256, in the images directory that every replica
-- mounts; the rows here say which files an image needs and whether each has arrived and matched.
--
-- Names are unique per owner: among a tenant's images, and among the public ones (nulls not distinct,
-- PostgreSQL 15+), so a tenant may shadow a public image's name with its own.
create table image (
    id             text primary key check (id ~ '^img-[0-9a-hjkmnp-tv-z]{26}$'),
    tenant_id      text references tenant (id),
    name           text        not null check (name ~ '^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$'),
    os             text        not null check (os ~ '^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$'),
    -- Only x86_64 guests run on the hosts Freehold drives today; widening this is a new migration.
    architecture   text        not null check (architecture in ('x86_64')),
    format         text        not null check (format in ('qcow2', 'kernel+initrd')),
    -- The kernel command line belongs to direct kernel boot and to nothing else.
    kernel_cmdline text check (length(kernel_cmdline) between 1 and 2048),
    status         text        not null check (status in ('uploading', 'active', 'failed')),
    -- The sum of the parts' sizes, known once every part has arrived.
    size_bytes     bigint check (size_bytes >= 0),
    failure_reason text check (length(failure_reason) between 1 and 1000),
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    constraint image_owner_name unique nulls not distinct (tenant_id, name),
    -- The target of image_part's composite key, so that a part's role can be checked against the format.
    constraint image_id_format unique (id, format),
    constraint image_cmdline_only_for_kernel check ((format = 'kernel+initrd') = (kernel_cmdline is not null)),
    constraint image_active_has_size check (status <> 'active' or size_bytes is not null),
    constraint image_failed_has_reason check ((status = 'failed') = (failure_reason is not null)),
    constraint image_updated_after_created check (updated_at >= created_at)
);
create index image_tenant_idx on image (tenant_id, id);

-- The files an image is made of. The expected SHA-256 is given when the image is created; size_bytes and
-- uploaded_at are set together when an upload matched it. A qcow2 image has exactly a disk; a
-- kernel+initrd image exactly a kernel and an initrd: the check below allows only the format's roles, the
-- primary key at most one of each, and image_has_its_parts (at commit) all of them.
create table image_part (
    image_id    text        not null,
    format      text        not null,
    role        text        not null check (role in ('disk', 'kernel', 'initrd')),
    sha256      text        not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes  bigint check (size_bytes >= 0),
    uploaded_at timestamptz,
    primary key (image_id, role),
    constraint image_part_of_image foreign key (image_id, format) references image (id, format) on delete cascade,
    constraint image_part_role_fits_format check (
        (format = 'qcow2' and role = 'disk') or (format = 'kernel+initrd' and role in ('kernel', 'initrd'))),
    constraint image_part_uploaded_has_size check ((size_bytes is null) = (uploaded_at is null))
);
-- Deleting an image removes a file only when no other image's part names the same SHA-256.
create index image_part_sha256_idx on image_part (sha256);

create function image_has_its_parts() returns trigger language plpgsql as $$
declare
    checked_id text;
    wanted integer;
    present integer;
begin
    -- Separate statements: plpgsql resolves new.id only when the branch runs, and an image_part row has no id.
    if tg_table_name = 'image' then
        checked_id := new.id;
    else
        checked_id := old.image_id;
    end if;
    select case format when 'qcow2' then 1 else 2 end into wanted from image where id = checked_id;
    if not found then
        -- The image itself is gone (its parts went with it by cascade): nothing left to check.
        return null;
    end if;
    select count(*) into present from image_part where image_id = checked_id;
    if present <> wanted then
        raise exception 'image % has % part(s); its format needs %', checked_id, present, wanted;
    end if;
    return null;
end
$$;
-- Deferred to the commit, so that an image and its parts can be inserted one after the other.
create constraint trigger image_has_its_parts after insert on image
    deferrable initially deferred for each row execute function image_has_its_parts();
create constraint trigger image_part_removal_keeps_image_whole after delete on image_part
    deferrable initially deferred for each row execute function image_has_its_parts();
