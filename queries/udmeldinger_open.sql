-- The open notices by name (target group), with their status and outcome so far.
SELECT notice_id, target_group, status, outcome, source_url
FROM central_notices
WHERE is_open = 1
ORDER BY target_group
