-- Join requests from the public (issue 15): a person without an account
-- answers a listed group's join page; the store makes a waiting membership
-- (memberships, people with status no_login) and keeps here what only a
-- public request has: the meeting they said they will come to (open
-- groups) and their note, sealed.
CREATE TABLE public_requests (
    membership_id BIGINT PRIMARY KEY REFERENCES memberships(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    session_id BIGINT REFERENCES sessions(id) ON DELETE SET NULL,
    note {{blob}},
    created_at {{time}} NOT NULL
);
CREATE INDEX public_requests_group ON public_requests(group_id);
