-- The public meeting finder (issue 15). A group chooses to be listed
-- (groups.listed, off by default since 0001) and, separately, whether its
-- room is shown; otherwise the public page says "on request". A venue may
-- carry its position for "near me".
ALTER TABLE groups ADD COLUMN venue_public BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE venues ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE venues ADD COLUMN longitude DOUBLE PRECISION;

-- Messages from the public to a listed group's contact: the text and the
-- way to answer (only what the sender chose to give) are sealed.
CREATE TABLE public_messages (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    body {{blob}} NOT NULL,
    reply {{blob}},
    created_at {{time}} NOT NULL
);
CREATE INDEX public_messages_group ON public_messages(group_id, created_at);

-- Spam limits of the contact form: a keyed hash of the sender's address
-- per hour, removed after the window; nothing points to a message.
CREATE TABLE public_throttle (
    addr_mac TEXT NOT NULL,
    hour {{time}} NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (addr_mac, hour)
);
