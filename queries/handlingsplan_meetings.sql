-- The meetings held on or before $today, newest first: the choices for "changed since".
SELECT meeting_date, body, title
FROM meetings
WHERE meeting_date <= $today
ORDER BY meeting_date DESC, body
