-- The status values the notices carry, for the page's status filter (most notices first).
SELECT status, count(*) AS n
FROM central_notices
GROUP BY status
ORDER BY n DESC, status
