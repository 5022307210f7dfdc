-- How many central notices are open and closed (is_open = 1 / 0).
SELECT
    count(*) FILTER (WHERE is_open = 1) AS n_open,
    count(*) FILTER (WHERE is_open = 0) AS n_closed,
    count(*) AS n_total
FROM central_notices
