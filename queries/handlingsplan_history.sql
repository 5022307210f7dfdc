-- The status history of one initiative ($initiative) up to $today, newest first: every update with
-- the meeting it is dated for (the first meeting on or after the update). Whether that meeting saw it
-- (its snapshot held it) is decided in overblik/handlingsplan.py (seen_at_meeting).
SELECT
    u.initiative_id,
    u.update_date,
    m.meeting_date,
    m.body AS meeting_body,
    m.title AS meeting_title,
    u.status,
    u.progress_pct,
    u.note
FROM (SELECT * FROM initiative_updates WHERE initiative_id = $initiative AND update_date <= $today) AS u
ASOF LEFT JOIN meetings AS m
    ON u.update_date <= m.meeting_date
ORDER BY u.update_date DESC
