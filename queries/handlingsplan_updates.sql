-- Every status update as readers see it (one row each): what a snapshot holds, to tell which updates a
-- meeting saw (handlingsplan.seen_at_meeting compares today's with those of the meeting's snapshot).
SELECT initiative_id, update_date, status, progress_pct, note
FROM initiative_updates
ORDER BY initiative_id, update_date
