-- The next or pending event among the open notices: an event dated after $today if any (the
-- earliest), otherwise the open notice with the most recent event - the one awaiting a decision.
-- Partial dates ('2024-05') count from the first day they cover.
WITH dated AS (
    SELECT
        notice_id,
        target_group,
        status,
        renewed_treatment,
        [issued, report_submitted, decision_date, renewed_treatment] AS dates,
        list_last(list_sort(list_filter(dates, lambda d: d IS NOT NULL AND pdate_start(d) <= $today))) AS latest_event,
        list_first(list_sort(list_filter(dates, lambda d: d IS NOT NULL AND pdate_start(d) > $today))) AS next_date
    FROM central_notices
    WHERE is_open = 1
)
SELECT notice_id, target_group, status, renewed_treatment, latest_event, next_date
FROM dated
ORDER BY pdate_start(next_date) NULLS LAST, pdate_start(latest_event) DESC NULLS LAST, notice_id
LIMIT 1
