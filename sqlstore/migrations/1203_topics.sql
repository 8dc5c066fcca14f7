-- A site's topic library (issue 11): what part 2 of a staff meeting
-- refreshes, with materials and an optional guest speaker whose contact is
-- sealed. A meeting records its topic and who presents it.
CREATE TABLE topics (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT '',
    speaker_name TEXT NOT NULL DEFAULT '',
    speaker_contact {{blob}},
    created_by BIGINT REFERENCES people(id),
    created_at {{time}} NOT NULL
);
CREATE INDEX topics_site ON topics(site_id);
ALTER TABLE sessions ADD COLUMN topic_id BIGINT REFERENCES topics(id);
ALTER TABLE sessions ADD COLUMN presenter_id BIGINT REFERENCES people(id);
