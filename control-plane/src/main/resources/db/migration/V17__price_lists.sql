-- Price lists (issue 8): versioned unit prices per meter, a tax rate, one default list, and each tenant's
-- assignment with its discount. A version never changes once written: prices of the past are facts.

create table price_list (
    id         text primary key,
    name       text        not null unique check (name ~ '^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$'),
    -- ISO 4217; every version of a list is in its currency.
    currency   text        not null check (currency ~ '^[A-Z]{3}$'),
    is_default boolean     not null default false,
    created_at timestamptz not null
);
-- At most one default list: the one every tenant without an assignment pays.
create unique index price_list_one_default_idx on price_list (is_default) where is_default;

create table price_list_version (
    price_list_id  text          not null references price_list (id),
    version        integer       not null check (version >= 1),
    -- Rating prices whole hours by the version in force at the hour's start, so versions begin on the hour.
    effective_from timestamptz   not null check (effective_from = date_trunc('hour', effective_from at time zone 'UTC') at time zone 'UTC'),
    tax_rate       numeric(7, 6) not null check (tax_rate >= 0 and tax_rate < 1),
    created_at     timestamptz   not null,
    primary key (price_list_id, version),
    unique (price_list_id, effective_from)
);

create table price_list_unit_price (
    price_list_id text           not null,
    version       integer        not null,
    -- vcpu.seconds, memory.gib.seconds, disk.gib.seconds, instance.seconds, or instance.seconds:<flavor shape>
    meter         text           not null check (length(meter) between 1 and 200),
    -- Per published unit of the meter, in the list's currency, before discount and tax.
    unit_price    numeric(24, 12) not null check (unit_price >= 0),
    primary key (price_list_id, version, meter),
    foreign key (price_list_id, version) references price_list_version (price_list_id, version)
);

create function price_list_version_is_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'price list versions never change: % on % refused', tg_op, tg_table_name;
end
$$;
create trigger price_list_version_immutable before update or delete on price_list_version
    for each row execute function price_list_version_is_immutable();
create trigger price_list_unit_price_immutable before update or delete on price_list_unit_price
    for each row execute function price_list_version_is_immutable();

create table tenant_pricing (
    tenant_id        text         primary key references tenant (id),
    price_list_id    text         not null references price_list (id),
    discount_percent numeric(5, 2) not null default 0 check (discount_percent between 0 and 100),
    updated_at       timestamptz  not null
);
