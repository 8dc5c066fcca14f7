-- Running sessions (issue 4): agenda items members propose, the live state
-- of a meeting, the check-in round and the Circle of Emotions, Sheet 2's
-- confidential sections and support counts, and the anonymous feedback.
-- Confidential text is sealed ({{blob}}, see sqlstore/seal use); figures
-- that reports count are plain columns.

-- Something a member proposes for a coming session. The title is sealed:
-- it may describe a case. allowed holds the words the author confirmed are
-- not a person (sealed JSON).
CREATE TABLE agenda_items (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES people(id),
    kind TEXT NOT NULL,
    title {{blob}} NOT NULL,
    allowed {{blob}},
    minutes INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'proposed',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX agenda_items_session ON agenda_items(session_id, position);

-- The live state of a meeting being run: the current segment and when its
-- clock last started. version is bumped on every change so pages that poll
-- know when to catch up.
CREATE TABLE live_sessions (
    session_id BIGINT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    segment INTEGER NOT NULL DEFAULT 0,
    segment_started {{time}},
    started_at {{time}} NOT NULL,
    ended_at {{time}},
    reminder_done BOOLEAN NOT NULL DEFAULT FALSE,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at {{time}} NOT NULL
);

-- The agenda of a session as it was run: copied from the group's template
-- when the meeting starts, with the seconds actually spent per segment.
CREATE TABLE session_segments (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    name_key TEXT NOT NULL DEFAULT '',
    planned_minutes INTEGER NOT NULL,
    actual_seconds INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, position)
);

-- The check-in round: everyone present, in an order the facilitator can
-- shuffle, and whether they have had their turn.
CREATE TABLE checkin_turns (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    attendance_id BIGINT NOT NULL REFERENCES attendance(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting',
    PRIMARY KEY (session_id, attendance_id)
);

-- Circle of Emotions: counts per feeling, and separately who has picked
-- (so each person picks once). Nothing links a person to a feeling.
CREATE TABLE feeling_counts (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    feeling TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, feeling)
);
CREATE TABLE feeling_picks (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, person_id)
);

-- Sheet 2: the confidential sections, sealed per field with the context
-- "summary:<session>:<field>"; the words confirmed as not a person; a
-- version against lost updates.
ALTER TABLE summaries ADD COLUMN key_issues {{blob}};
ALTER TABLE summaries ADD COLUMN decisions {{blob}};
ALTER TABLE summaries ADD COLUMN achievements {{blob}};
ALTER TABLE summaries ADD COLUMN challenges {{blob}};
ALTER TABLE summaries ADD COLUMN follow_ups {{blob}};
ALTER TABLE summaries ADD COLUMN allowed {{blob}};
ALTER TABLE summaries ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Support information given during the session, by kind of resource
-- (counts only; reports sum them).
CREATE TABLE summary_support (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (session_id, kind)
);

-- The review history of Sheet 2: each submission, return and acceptance.
CREATE TABLE summary_events (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    at {{time}} NOT NULL,
    actor_id BIGINT REFERENCES people(id),
    state TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX summary_events_session ON summary_events(session_id, id);

-- Anonymous feedback. A round per session: open or closed, codes handed
-- out, responses received. screen_code is the code the facilitator's
-- screen shows now (sealed), so a reload shows the same one.
CREATE TABLE feedback_rounds (
    session_id BIGINT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    open BOOLEAN NOT NULL DEFAULT TRUE,
    tokens_issued INTEGER NOT NULL DEFAULT 0,
    responses INTEGER NOT NULL DEFAULT 0,
    screen_code {{blob}},
    screen_hash TEXT NOT NULL DEFAULT ''
);

-- One-time codes: a hash and a state, nothing else. No person, no time.
CREATE TABLE feedback_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    state TEXT NOT NULL
);

-- Signed-in attendees who took a code, so each takes one. Which code is
-- not recorded.
CREATE TABLE feedback_claims (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, person_id)
);

-- Ratings as counts per question and answer: no response rows to link.
CREATE TABLE feedback_counts (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    value INTEGER NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, question, value)
);

-- The closing round's words, sealed, each on its own row with a random key
-- that orders them when read: no response id ties two answers together.
CREATE TABLE feedback_notes (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    shuffle BIGINT NOT NULL,
    prompt TEXT NOT NULL,
    body {{blob}} NOT NULL,
    PRIMARY KEY (session_id, shuffle)
);
