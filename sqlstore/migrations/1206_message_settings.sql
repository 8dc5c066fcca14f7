-- How a person is reached outside the app (issue 12): the phone number SMS
-- and WhatsApp go to (E.164), and quiet hours during which nothing leaves.
CREATE TABLE message_settings (
    person_id BIGINT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    phone TEXT NOT NULL DEFAULT '',
    quiet_start TEXT NOT NULL DEFAULT '',
    quiet_end TEXT NOT NULL DEFAULT ''
);
-- The coordinators' weekly digest (issue 12): sent once a week a person.
CREATE TABLE digests (
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    week TEXT NOT NULL,
    sent_at {{time}} NOT NULL,
    PRIMARY KEY (person_id, week)
);
