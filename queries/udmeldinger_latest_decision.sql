-- The latest decision: the closed notice whose decision date is the most recent.
-- Partial dates ('2025-12') are ordered by the first day they cover.
SELECT notice_id, target_group, decision_date, status, outcome, source_url
FROM central_notices
WHERE is_open = 0 AND decision_date IS NOT NULL
ORDER BY pdate_start(decision_date) DESC, notice_id
LIMIT 1
