-- Anonymous complaints keep no moment of their filing. Handlers are told of
-- new complaints by a periodic job, the day after, rather than by a
-- notification written in the filing's transaction (whose time and place
-- in the notifications' sequence would date the filing); complaints that
-- existed before this migration were already announced. The "received"
-- step of a complaint's history is read from received_on instead of a row
-- written at filing, whose id would sit between the answers of other
-- complaints.
ALTER TABLE complaints ADD COLUMN announced BOOLEAN NOT NULL DEFAULT TRUE;
DELETE FROM complaint_events WHERE state = 'received' AND by_id IS NULL;
