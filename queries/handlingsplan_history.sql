-- The status history of one initiative ($initiative) up to $today, newest first. The meeting each update is
-- dated for, and whether that meeting saw it, are decided in overblik/handlingsplan.py (dated_meeting,
-- seen_at_meeting: one rule for "dated for a meeting", dated_for).
SELECT
    initiative_id,
    update_date,
    status,
    progress_pct,
    note
FROM initiative_updates
WHERE initiative_id = $initiative AND update_date <= $today
ORDER BY update_date DESC
