-- Keeping everyone safe: the files of external support, members' support
-- requests and anonymous complaints. Confidential text is sealed
-- ({{blob}}, with the contexts named in sqlstore/safety_*.go).

-- The collective file of external support (001), per site (group_id NULL)
-- and per group. Public information about services: stored in clear.
CREATE TABLE support_resources (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    group_id BIGINT REFERENCES groups(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    when_to_use TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '',
    updated_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX support_resources_site ON support_resources(site_id, group_id);
CREATE INDEX support_resources_group ON support_resources(group_id);

-- A member asking for more support. recipient is 'facilitators' (group_id
-- set) or 'organiser' (group_id NULL). message, contact_address and reply
-- are sealed with "support_request:<id>:<field>".
CREATE TABLE support_requests (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    group_id BIGINT REFERENCES groups(id),
    recipient TEXT NOT NULL,
    message {{blob}},
    contact_channel TEXT NOT NULL,
    contact_address {{blob}},
    reply {{blob}},
    state TEXT NOT NULL,
    handler_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    closed_at {{time}}
);
CREATE INDEX support_requests_person ON support_requests(person_id, created_at);
CREATE INDEX support_requests_group ON support_requests(group_id, state);
CREATE INDEX support_requests_site ON support_requests(site_id, recipient, state);

-- Anonymous complaints (004). No person, no address, and only the day it
-- was received. code_hash is the SHA-256 of the tracking code. route_kind
-- and route_id say who handles it: 'site' (its organisers), 'area' (its
-- coordinators) or 'organisation' (admins, route_id 0). body is sealed
-- with "complaint:<id>:body".
CREATE TABLE complaints (
    id {{id}},
    code_hash TEXT NOT NULL UNIQUE,
    about TEXT NOT NULL,
    group_id BIGINT REFERENCES groups(id) ON DELETE SET NULL,
    site_id BIGINT REFERENCES sites(id) ON DELETE SET NULL,
    about_organiser BOOLEAN NOT NULL DEFAULT FALSE,
    route_kind TEXT NOT NULL,
    route_id BIGINT NOT NULL DEFAULT 0,
    body {{blob}} NOT NULL,
    state TEXT NOT NULL,
    received_on TEXT NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX complaints_route ON complaints(route_kind, route_id, state);

-- A complaint's history: each state and the note the complainant reads
-- with their code (sealed with "complaint:<id>:note").
CREATE TABLE complaint_events (
    id {{id}},
    complaint_id BIGINT NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    at {{time}} NOT NULL,
    state TEXT NOT NULL,
    note {{blob}},
    by_id BIGINT REFERENCES people(id) ON DELETE SET NULL
);
CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);

-- Throttling complaint filing: a keyed hash of the address (the key lives
-- outside the database) and the hour, with a count. Nothing links a row to
-- a complaint; rows are deleted once the hour after theirs has passed.
CREATE TABLE complaint_throttle (
    addr_mac TEXT NOT NULL,
    hour {{time}} NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (addr_mac, hour)
);
