-- Calendar events change with more than their meeting (issue 11): the
-- group is renamed, its room moves, the reader's language or role that day
-- changes. Each feed remembers a digest of each event as it last served it
-- and how many times it changed, so the event's SEQUENCE grows (and its
-- DTSTAMP moves) on any change a phone would have to pick up.
CREATE TABLE calendar_event_versions (
    feed_id BIGINT NOT NULL REFERENCES calendar_feeds(id) ON DELETE CASCADE,
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    digest TEXT NOT NULL,
    bumps INTEGER NOT NULL DEFAULT 0,
    changed_at {{time}}, -- the last change; NULL until the first
    PRIMARY KEY (feed_id, session_id)
);
CREATE INDEX calendar_event_versions_session ON calendar_event_versions(session_id);
