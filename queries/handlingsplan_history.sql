-- The status history of one initiative ($initiative) up to $today, newest first: every update with
-- the meeting it was made for (the first meeting on or after the update).
SELECT
    u.update_date,
    m.meeting_date,
    m.title AS meeting_title,
    u.status,
    u.progress_pct,
    u.note
FROM (SELECT * FROM initiative_updates WHERE initiative_id = $initiative AND update_date <= $today) AS u
ASOF LEFT JOIN meetings AS m
    ON u.update_date <= m.meeting_date
ORDER BY u.update_date DESC
