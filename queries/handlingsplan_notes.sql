-- Every note dated on or before $today, newest first (which of them a meeting did not see is decided in
-- overblik/handlingsplan.py: seen_at_meeting).
SELECT
    u.update_date,
    i.principle_id,
    u.initiative_id,
    i.title,
    u.status,
    u.progress_pct,
    u.note
FROM initiative_updates AS u
JOIN initiatives AS i USING (initiative_id)
WHERE u.update_date <= CAST($today AS DATE)
  AND u.note IS NOT NULL
ORDER BY u.update_date DESC, u.initiative_id
