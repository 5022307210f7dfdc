-- The latest decision: the closed notice with a known outcome whose decision date is the most recent.
-- Partial dates ('2025-12') are ordered by the first day they cover.
SELECT notice_id, target_group, decision_date, status, outcome, source_url
FROM central_notices
WHERE notice_state(is_open, outcome) = 'afsluttet' AND decision_date IS NOT NULL
ORDER BY pdate_start(decision_date) DESC, notice_id
LIMIT 1
