-- Every central notice, oldest first, narrowed by the page's status choice:
-- $choice = 'alle' (all), 'åbne' (open: the board's assessment is pending), 'afsluttede' (closed with a
-- known outcome), 'ukendt' (outcome not found in public sources) or one of the status values.
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
    notice_state(is_open, outcome) AS state,
    source_url
FROM central_notices
WHERE $choice = 'alle'
   OR ($choice = 'åbne' AND notice_state(is_open, outcome) = 'åben')
   OR ($choice = 'afsluttede' AND notice_state(is_open, outcome) = 'afsluttet')
   OR ($choice = 'ukendt' AND notice_state(is_open, outcome) = 'udfald ukendt')
   OR status = $choice
ORDER BY pdate_start(issued), notice_id
