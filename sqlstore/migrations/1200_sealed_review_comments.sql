-- Sheet 2 review comments are sealed like the rest of a summary (issue 10):
-- a reviewer writing back "ask Rana about…" puts confidential text in them.
-- The clear columns stay for rows written before; SealClearComments moves
-- them into the sealed ones at start and empties them.
ALTER TABLE summaries ADD COLUMN return_comment_sealed {{blob}};
ALTER TABLE summary_events ADD COLUMN comment_sealed {{blob}};
