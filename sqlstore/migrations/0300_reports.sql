-- Quarterly reports (Sheet 3). The figures are computed from sessions,
-- attendance and summaries; what is stored is the review: state, the
-- organiser's comment, the coordinator's comment, and the figures frozen at
-- each submission (JSON), so later edits to sessions never change a
-- submitted report silently.
CREATE TABLE reports (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id),
    quarter TEXT NOT NULL,
    state TEXT NOT NULL,
    no_meetings BOOLEAN NOT NULL DEFAULT FALSE,
    no_meetings_reason TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    review_comment TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    submitted_by BIGINT REFERENCES people(id),
    submitted_at {{time}},
    reviewed_by BIGINT REFERENCES people(id),
    reviewed_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    UNIQUE (site_id, quarter)
);
CREATE INDEX reports_quarter ON reports(quarter, state);

-- One row per submission: the figures as the organiser submitted them.
CREATE TABLE report_snapshots (
    id {{id}},
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    figures TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX report_snapshots_report ON report_snapshots(report_id, id);

-- The review history: each submission, return and acceptance with its
-- comment.
CREATE TABLE report_events (
    id {{id}},
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    at {{time}} NOT NULL,
    actor_id BIGINT REFERENCES people(id),
    state TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_events_report ON report_events(report_id, id);

-- Nudges already sent, so the periodic job tells each organiser once per
-- site, quarter and kind.
CREATE TABLE report_nudges (
    site_id BIGINT NOT NULL REFERENCES sites(id),
    quarter TEXT NOT NULL,
    kind TEXT NOT NULL,
    sent_at {{time}} NOT NULL,
    PRIMARY KEY (site_id, quarter, kind)
);
