-- Invoices and credit notes (issue 8, docs/billing.md). A tenant's invoice for a month is a draft, rated from
-- the rollups whenever it is read, until month close stores it here: FINAL, numbered, never changed again.

create table credit_note (
    id         text primary key,
    tenant_id  text           not null references tenant (id),
    -- Before tax, in the currency of the invoice it lands on (the tenant's price list's).
    amount     numeric        not null check (amount > 0 and scale(amount) <= 6),
    reason     text           not null check (length(reason) between 1 and 500),
    -- The invoice of the month it was issued in takes it.
    issued_at  timestamptz    not null,
    issued_by  text           not null
);
create index credit_note_tenant_issued_idx on credit_note (tenant_id, issued_at);

-- Invoice numbers without gaps: one counter row, advanced in the transaction that stores the invoice, so a
-- rolled-back close gives its number back (a PostgreSQL sequence would not).
create table invoice_counter (
    singleton   boolean primary key default true check (singleton),
    last_number bigint  not null check (last_number >= 0)
);
insert into invoice_counter (singleton, last_number) values (true, 0);

-- Amounts and quantities are unconstrained numerics: PostgreSQL keeps each as written, scale included, so an
-- invoice reads back exactly as it was rated (0.04 stays 0.04, not 0.040000).
create table invoice (
    tenant_id        text           not null references tenant (id),
    -- The month's first day (UTC calendar months).
    period           date           not null check (period = date_trunc('month', period)),
    number           bigint         not null unique check (number >= 1),
    currency         text           not null check (currency ~ '^[A-Z]{3}$'),
    price_list_id    text           not null references price_list (id),
    discount_percent numeric        not null,
    subtotal         numeric        not null,
    tax              numeric        not null,
    total            numeric        not null check (total = subtotal + tax),
    finalized_at     timestamptz    not null,
    primary key (tenant_id, period)
);

create table invoice_line (
    tenant_id           text            not null,
    period              date            not null,
    line_no             integer         not null check (line_no >= 1),
    category            text            not null check (category in ('Usage', 'Adjustment', 'Credit')),
    meter               text            not null,
    flavor              text            not null,
    description         text            not null,
    charge_period_start timestamptz     not null,
    charge_period_end   timestamptz     not null check (charge_period_end > charge_period_start),
    quantity            numeric         not null,
    unit                text            not null,
    unit_price          numeric         not null,
    price_list_version  integer         not null check (price_list_version >= 0),
    list_amount         numeric         not null,
    discount_percent    numeric         not null,
    amount              numeric         not null,
    tax_rate            numeric         not null,
    tax                 numeric         not null,
    primary key (tenant_id, period, line_no),
    foreign key (tenant_id, period) references invoice (tenant_id, period)
);

create table invoice_line_resource (
    tenant_id     text           not null,
    period        date           not null,
    line_no       integer        not null,
    resource_id   text           not null,
    resource_name text           not null,
    quantity      numeric        not null,
    amount        numeric        not null,
    primary key (tenant_id, period, line_no, resource_id),
    foreign key (tenant_id, period, line_no) references invoice_line (tenant_id, period, line_no)
);

-- What was invoiced is a fact: refused at the database too, whatever the caller.
create function invoice_is_final() returns trigger language plpgsql as $$
begin
    raise exception 'invoices are final: % on % refused', tg_op, tg_table_name;
end
$$;
create trigger invoice_final before update or delete on invoice for each row execute function invoice_is_final();
create trigger invoice_line_final before update or delete on invoice_line for each row execute function invoice_is_final();
create trigger invoice_line_resource_final before update or delete on invoice_line_resource
    for each row execute function invoice_is_final();
create trigger credit_note_final before update or delete on credit_note for each row execute function invoice_is_final();

-- Up to where each tenant's hours are closed (the end of its last closed month). An hour before it that had no
-- row when its month closed was billed as zero: a recompute finding usage in it stores it closed at zero and
-- records the usage as an adjustment, as for any closed hour, instead of adding an open hour no invoice takes.
create table usage_closed (
    tenant_id     text        primary key,
    closed_before timestamptz not null
);

-- Month close looks for ended months with hours still open.
create index usage_hourly_open_idx on usage_hourly (hour) where not closed;
