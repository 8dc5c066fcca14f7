-- The outbox (issue 12): each message to one person on one channel, written
-- in the same transaction as the change that causes it; workers on any
-- instance claim a due message under a lease, deliver it, and record each
-- attempt. Params hold no confidential text (DESIGN.md rule 2).
CREATE TABLE outbox (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '[]',
    link TEXT NOT NULL DEFAULT '',
    ref TEXT NOT NULL DEFAULT '',
    unique_key TEXT UNIQUE,
    state TEXT NOT NULL DEFAULT 'queued',
    run_at {{time}} NOT NULL,
    locked_until {{time}},
    locked_by TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    sent_at {{time}},
    provider_id TEXT NOT NULL DEFAULT '',
    receipt TEXT NOT NULL DEFAULT '',
    receipt_at {{time}}
);
CREATE INDEX outbox_due ON outbox(state, run_at);
CREATE INDEX outbox_ref ON outbox(ref, state);
CREATE INDEX outbox_person ON outbox(person_id, created_at);
CREATE INDEX outbox_provider ON outbox(provider_id);

-- Each try at delivering a message: when, by which worker, and why it
-- failed ('' when it went).
CREATE TABLE outbox_attempts (
    id {{id}},
    message_id BIGINT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    at {{time}} NOT NULL,
    worker TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_attempts_message ON outbox_attempts(message_id, at);

-- How each person wants to hear about each kind of message: kind '*' is
-- their default; no row means e-mail when they have an address, else the
-- app only.
CREATE TABLE notify_prefs (
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    PRIMARY KEY (person_id, kind)
);
