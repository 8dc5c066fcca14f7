-- What a schedule was last planned for (issue 6): a digest of everything
-- planning reads (the rule, dates and times, exceptions and extras, the
-- site's zone, the group's status and venue) and the end of the horizon it
-- planned to. The periodic job passes over a group whose digest is the same
-- and whose horizon brings no new meeting, instead of one write
-- transaction per group at every start.
ALTER TABLE schedules ADD COLUMN planned_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE schedules ADD COLUMN planned_until {{time}};
