-- ASP.NET Core DataProtection's key ring (it protects the console's session cookies and antiforgery tokens): kept in
-- the database so every Lunas instance on it reads the same keys, and a restart keeps the sessions it issued.
-- Append-only, as DataProtection writes it: a new key or a revocation is a new element, none is changed.
CREATE TABLE data_protection_keys (
    element_id    TEXT NOT NULL PRIMARY KEY,
    friendly_name TEXT NOT NULL,
    xml           TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
