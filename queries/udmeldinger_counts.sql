-- How many central notices are open (the national board's assessment for Midtjylland is pending),
-- closed with a known outcome, and closed with an outcome no public source gives ('udfald ukendt',
-- counted apart). The state is the notice_state macro (_macros.sql).
SELECT
    count(*) FILTER (WHERE notice_state(is_open, outcome) = 'åben') AS n_open,
    count(*) FILTER (WHERE notice_state(is_open, outcome) = 'afsluttet') AS n_closed,
    count(*) FILTER (WHERE notice_state(is_open, outcome) = 'udfald ukendt') AS n_unknown,
    count(*) AS n_total
FROM central_notices
