-- What changed since a meeting ($since) up to $today, one row per initiative that changed:
-- its status at the meeting (latest update on or before $since) against its status now (latest
-- update on or before $today), and the notes registered after the meeting. An initiative without an
-- update yet counts as 'ikke startet', as in handlingsplan_initiatives.
WITH dates AS (
    SELECT initiative_id, title, principle_id, owner,
           CAST($since AS DATE) AS since, CAST($today AS DATE) AS today
    FROM initiatives
),
then_ AS (
    SELECT d.*, coalesce(u.status, 'ikke startet') AS status_then, coalesce(u.progress_pct, 0) AS progress_then
    FROM dates AS d
    ASOF LEFT JOIN initiative_updates AS u
        ON u.initiative_id = d.initiative_id AND u.update_date <= d.since
),
now_ AS (
    SELECT t.*, coalesce(u.status, 'ikke startet') AS status_now, coalesce(u.progress_pct, 0) AS progress_now
    FROM then_ AS t
    ASOF LEFT JOIN initiative_updates AS u
        ON u.initiative_id = t.initiative_id AND u.update_date <= t.today
),
notes AS (
    SELECT
        u.initiative_id,
        count(u.note) AS new_notes,
        max(u.update_date) AS latest_update,
        arg_max(u.note, u.update_date) FILTER (WHERE u.note IS NOT NULL) AS latest_note
    FROM initiative_updates AS u
    WHERE u.update_date > CAST($since AS DATE) AND u.update_date <= CAST($today AS DATE)
    GROUP BY u.initiative_id
)
SELECT
    n.principle_id,
    n.initiative_id,
    n.title,
    n.owner,
    n.status_then,
    n.status_now,
    n.progress_then,
    n.progress_now,
    n.status_now <> n.status_then AS status_changed,
    coalesce(x.new_notes, 0) AS new_notes,
    x.latest_update,
    x.latest_note
FROM now_ AS n
LEFT JOIN notes AS x USING (initiative_id)
WHERE n.status_now <> n.status_then OR coalesce(x.new_notes, 0) > 0
ORDER BY status_changed DESC, n.principle_id, n.initiative_id
