-- Budgets (issue 8, docs/billing.md): a tenant's monthly budget, and the thresholds of it each month has reached.

create table budget (
    tenant_id      text        primary key references tenant (id),
    -- Before tax, in the currency below: the tenant's price list's when the budget was set.
    amount         numeric     not null check (amount > 0 and scale(amount) <= 3),
    -- A budget keeps the currency it was set in: if the tenant is moved to a price list in another currency, its
    -- spend is no longer comparable with the amount and the budget stops applying until it is set again.
    currency       text        not null check (currency ~ '^[A-Z]{3}$'),
    -- Percentages of the amount, ascending and distinct, each warned about once a month.
    thresholds     integer[]   not null default '{50,80,100}'
        -- No BETWEEN: it dumps as nested ANDs that a restore flattens, and the schema must dump back identically.
        check (cardinality(thresholds) >= 1 and cardinality(thresholds) <= 10 and 1 <= all (thresholds) and 1000 >= all (thresholds)),
    -- Whether POST /api/v1/instances is refused once the month's spend reaches the amount.
    refuse_creates boolean     not null default false,
    updated_at     timestamptz not null
);

-- A threshold reached in a month, recorded once: the primary key makes a second pass (or a second replica) a no-op.
-- Kept when the budget is removed or changed: what was reached, and what was spent then, stays true.
create table budget_threshold_reached (
    tenant_id  text        not null references tenant (id),
    -- The month's first day (UTC calendar months).
    month      date        not null check (month = date_trunc('month', month)),
    -- Percent of the amount in force when it was reached.
    threshold  integer     not null check (threshold between 1 and 1000),
    reached_at timestamptz not null,
    -- The month's spend before tax when it was seen, in the budget's currency.
    spent      numeric     not null check (spent >= 0),
    primary key (tenant_id, month, threshold)
);
