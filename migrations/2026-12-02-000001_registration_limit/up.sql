-- Sign-ups per address, kept in the database so every replica limits alike; rows older than the
-- window are forgotten by housekeeping.
CREATE TABLE registrations (
    id            bigserial PRIMARY KEY,
    client_addr   text NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registrations_addr_idx ON registrations (client_addr, registered_at);
