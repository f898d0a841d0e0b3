-- tests/bench/pg_schema.sql — the PostgreSQL baseline of `make bench`: a
-- plain double-entry schema, loaded by tests/bench/pg_load.c with the same
-- entries (tests/bench/bench_entries.h) and the same batch sizes as
-- grandlivred.  Every transaction inserts its entries and their lines and
-- updates the balances in the same transaction; synchronous_commit is on
-- (scripts/bench sets it), so a COMMIT returns after the WAL fsync, as
-- grandlivred replies after its LMDB commit.
--
-- What it does NOT do, compared with grandlivred (so the baseline is, if
-- anything, flattered): no signature check, no idempotency record per
-- request, no gap-free numbering per tenant and fiscal year (a sequence),
-- no hash chain, no per-day or per-month totals, no chart lookup (a
-- foreign key to accounts stands in for "the account is open").
DROP TABLE IF EXISTS lines, balances, entries, accounts CASCADE;

CREATE TABLE accounts (
    tenant  text NOT NULL,
    account text NOT NULL,
    label   text NOT NULL DEFAULT '',
    PRIMARY KEY (tenant, account)
);

CREATE TABLE entries (
    id       bigserial PRIMARY KEY,
    tenant   text NOT NULL,
    date     date NOT NULL,
    journal  text NOT NULL,
    piece    text NOT NULL,
    label    text NOT NULL,
    recorded timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entries_tenant_date ON entries (tenant, date);

CREATE TABLE lines (
    entry_id bigint NOT NULL REFERENCES entries (id),
    line_no  smallint NOT NULL,
    tenant   text NOT NULL,
    account  text NOT NULL,
    aux      text NOT NULL DEFAULT '',
    date     date NOT NULL,
    debit    bigint NOT NULL CHECK (debit >= 0),
    credit   bigint NOT NULL CHECK (credit >= 0),
    PRIMARY KEY (entry_id, line_no),
    FOREIGN KEY (tenant, account) REFERENCES accounts (tenant, account)
);
-- The account ledger (grand livre) and the balance as of a date read this.
CREATE INDEX lines_account_date ON lines (tenant, account, date, entry_id);

CREATE TABLE balances (
    tenant  text NOT NULL,
    account text NOT NULL,
    debit   bigint NOT NULL DEFAULT 0,
    credit  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, account)
);

-- The accounts bench_entries.h posts to, for the tenant the benchmark uses.
INSERT INTO accounts (tenant, account)
SELECT 'agiie', a FROM unnest(ARRAY['401000', '411000', '421000', '431000', '512000', '606100',
    '606300', '606400', '613200', '615600', '616000', '622600', '625100', '626000', '641100',
    '706000']) AS a;
