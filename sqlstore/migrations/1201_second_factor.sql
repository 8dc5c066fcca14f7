-- A second factor (issue 10): the authenticator app's secret, sealed, and
-- the last time step used, so a code is never taken twice.
CREATE TABLE second_factors (
    person_id BIGINT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    secret {{blob}} NOT NULL,
    created_at {{time}} NOT NULL,
    confirmed_at {{time}},
    last_step BIGINT NOT NULL DEFAULT 0
);

-- Single-use recovery codes, only their hashes.
CREATE TABLE recovery_codes (
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at {{time}},
    PRIMARY KEY (person_id, code_hash)
);
