-- Every central notice, oldest first, narrowed by the page's status choice:
-- $choice = 'alle' (all), 'åbne' (open), 'afsluttede' (closed) or one of the status values.
SELECT
    notice_id,
    target_group,
    issued,
    report_submitted,
    status,
    decision_date,
    renewed_treatment,
    outcome,
    midtjylland_response,
    is_open,
    source_url
FROM central_notices
WHERE $choice = 'alle'
   OR ($choice = 'åbne' AND is_open = 1)
   OR ($choice = 'afsluttede' AND is_open = 0)
   OR status = $choice
ORDER BY pdate_start(issued), notice_id
