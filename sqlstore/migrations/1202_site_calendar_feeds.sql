-- A site's calendar (issue 11): an organiser's secret link to the meetings
-- of every group of the site. A feed is a person's (no group, no site), a
-- group's, or a site's.
ALTER TABLE calendar_feeds ADD COLUMN site_id BIGINT REFERENCES sites(id);
