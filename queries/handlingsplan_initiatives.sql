-- Every initiative with its principle and its status as of $today: the latest update on or before
-- $today (an initiative without an update yet counts as 'ikke startet' with 0 % progress). Its note is
-- the latest note on or before $today: a status-only update (no note) keeps the note before it.
-- Overdue: the deadline has passed and the initiative is not 'afsluttet'.
WITH at_today AS (
    SELECT i.*, u.update_date, u.status, u.progress_pct, n.note
    FROM (SELECT *, CAST($today AS DATE) AS at FROM initiatives) AS i
    ASOF LEFT JOIN initiative_updates AS u
        ON u.initiative_id = i.initiative_id AND u.update_date <= i.at
    ASOF LEFT JOIN (SELECT initiative_id, update_date, note FROM initiative_updates WHERE note IS NOT NULL) AS n
        ON n.initiative_id = i.initiative_id AND n.update_date <= i.at
)
SELECT
    a.principle_id,
    p.name AS principle_name,
    a.initiative_id,
    a.title,
    a.description,
    a.owner,
    a.start_date,
    a.deadline,
    coalesce(a.status, 'ikke startet') AS status,
    coalesce(a.progress_pct, 0) AS progress_pct,
    a.note,
    a.update_date,
    a.deadline < a.at AND coalesce(a.status, 'ikke startet') <> 'afsluttet' AS overdue
FROM at_today AS a
LEFT JOIN principles AS p USING (principle_id)
ORDER BY a.principle_id, a.initiative_id
