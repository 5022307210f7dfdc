-- The next meeting after $today (the earliest; on a day with two, DASSOS before KKR), for saying that no
-- meeting has been held yet and when the first one is.
SELECT meeting_date, body, title
FROM meetings
WHERE meeting_date > $today
ORDER BY meeting_date, body
LIMIT 1
