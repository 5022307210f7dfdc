-- "Siden sidste møde": every central notice's status, outcome and state (notice_state macro) as one
-- snapshot has them; overblik/siden.py compares the meeting's snapshot with today's. National data:
-- the shared filters do not apply.
SELECT notice_id,
       target_group,
       status,
       outcome,
       decision_date,
       notice_state(is_open, outcome) AS state
FROM central_notices
ORDER BY notice_id
