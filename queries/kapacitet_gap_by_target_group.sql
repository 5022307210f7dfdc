-- Capacity per target group and year: what the municipalities report (difficulty, citizens in private
-- offers, single-person arrangements, waiting), places offered under the agreement, occupancy, and the
-- gap in whole places, with whether the group is short of places and whether the municipalities
-- report that it lacks suitable offers (rules: whole_occupied, capacity_gap, capacity_short and
-- lacks_suitable in _macros.sql). Demand per target group exists from the municipalities' joint
-- survey in early 2026 (seed 000): earlier years have no demand rows and are not shown.
-- Offers count where they are located (offers.municipality_code); demand counts for the municipality
-- that reported it (demand.municipality_code). Only offers of kind 'rammeaftale' with a target group.
-- Years: those in the period with both offer and demand data (the gap needs both).
-- Missing reports: a target group for which none of the chosen municipalities reported in a year is
-- "ikke indberettet" that year: its reported numbers (waiting, placed_private, single_arrangements,
-- hard_reports, mean_difficulty) are NULL, not 0, and so are demanded, gap, short and lacks_suitable (the
-- macros give NULL without a report). Places, occupied places and occupancy need no report and stay.
-- `reports` says how many of the chosen municipalities (`municipalities`) reported; fewer than all is a
-- partial report, whose sums count the reporting municipalities only.
-- Changes from the year before (the period's previous year with data), like with like:
-- `reports_before` is the previous year's number of reports for the group; `matched_reports` counts the
-- municipalities that reported the group in both years, and waiting_change, placed_private_change and
-- single_arrangements_change are the changes summed over those municipalities only; `same_reports` is
-- true when exactly the same municipalities reported the group in both years (NULL in the first year).
-- Params: $year_from, $year_to, $municipalities (list of codes), $area ('alle', 'Børn og unge', 'Voksne').
-- One row per target group and year; the Overblik page reuses this with $year_from = $year_to = Y.
WITH target AS (
    SELECT target_group_id, short_name, name, area
    FROM target_groups
    WHERE area_match($area, area)
),
years AS (
    SELECT year FROM offer_years WHERE year BETWEEN $year_from AND $year_to
    INTERSECT
    SELECT year FROM demand WHERE year BETWEEN $year_from AND $year_to
),
supply AS (
    SELECT o.target_group_id, y.year,
           count(*) AS offers,
           sum(y.places) AS places,
           sum(y.places * y.occupancy_pct / 100) AS occupied
    FROM offers AS o
    JOIN offer_years AS y ON y.offer_id = o.offer_id
    WHERE o.kind = 'rammeaftale'
      AND list_contains($municipalities, o.municipality_code)
      AND y.year BETWEEN $year_from AND $year_to
    GROUP BY o.target_group_id, y.year
),
prior AS (  -- each year's previous year in the period: the year a change is measured from
    SELECT year, lag(year) OVER (ORDER BY year) AS previous FROM years
),
chosen AS (
    SELECT count(*) AS municipalities FROM municipalities WHERE list_contains($municipalities, municipality_code)
),
report AS (  -- one row per report: a chosen municipality's report for a target group and year
    SELECT municipality_code, target_group_id, year, difficulty, citizens_waiting, placed_private,
           single_arrangements
    FROM demand
    WHERE list_contains($municipalities, municipality_code)
      AND year BETWEEN $year_from AND $year_to
),
need AS (
    SELECT target_group_id, year,
           sum(citizens_waiting) AS waiting,
           sum(placed_private) AS placed_private,
           sum(single_arrangements) AS single_arrangements,
           count(*) AS reports,
           count(*) FILTER (WHERE difficulty >= 2) AS hard_reports,
           avg(difficulty) AS mean_difficulty
    FROM report
    GROUP BY target_group_id, year
),
matched AS (  -- like with like: the municipalities that reported the group in the year before too
    SELECT r.target_group_id, r.year,
           count(*) AS matched_reports,
           sum(r.citizens_waiting - b.citizens_waiting) AS waiting_change,
           sum(r.placed_private - b.placed_private) AS placed_private_change,
           sum(r.single_arrangements - b.single_arrangements) AS single_arrangements_change
    FROM report AS r
    JOIN prior AS p ON p.year = r.year
    JOIN report AS b
      ON b.municipality_code = r.municipality_code
     AND b.target_group_id = r.target_group_id
     AND b.year = p.previous
    GROUP BY r.target_group_id, r.year
),
joined AS (
    SELECT t.target_group_id, t.short_name, t.name, t.area, yr.year,
           coalesce(s.offers, 0) AS offers,
           coalesce(s.places, 0) AS places,
           coalesce(s.occupied, 0) AS occupied,
           n.waiting,  -- NULL: no report (not 0)
           n.placed_private,
           n.single_arrangements,
           coalesce(n.reports, 0) AS reports,
           n.hard_reports,
           n.mean_difficulty,
           c.municipalities,
           p.previous,
           coalesce(m.matched_reports, 0) AS matched_reports,
           m.waiting_change,
           m.placed_private_change,
           m.single_arrangements_change
    FROM target AS t
    CROSS JOIN years AS yr
    CROSS JOIN chosen AS c
    JOIN prior AS p ON p.year = yr.year
    LEFT JOIN supply AS s ON s.target_group_id = t.target_group_id AND s.year = yr.year
    LEFT JOIN need AS n ON n.target_group_id = t.target_group_id AND n.year = yr.year
    LEFT JOIN matched AS m ON m.target_group_id = t.target_group_id AND m.year = yr.year
),
compared AS (
    SELECT *,
           lag(reports) OVER (PARTITION BY target_group_id ORDER BY year) AS reports_before
    FROM joined
)
SELECT target_group_id, short_name, name, area, year::INTEGER AS year, offers,
       places::BIGINT AS places,
       occupied::DOUBLE AS occupied_exact,
       whole_occupied(occupied) AS occupied,
       CASE WHEN places > 0 THEN occupied / places * 100 END AS occupancy_pct,
       waiting::BIGINT AS waiting,
       placed_private::BIGINT AS placed_private,
       single_arrangements::BIGINT AS single_arrangements,
       reports,
       municipalities::BIGINT AS municipalities,
       reports > 0 AS reported,
       hard_reports::BIGINT AS hard_reports,
       mean_difficulty::DOUBLE AS mean_difficulty,
       (whole_occupied(occupied) + waiting)::BIGINT AS demanded,
       capacity_gap(occupied, waiting, places)::BIGINT AS gap,
       capacity_short(occupied, waiting, places) AS short,
       lacks_suitable(hard_reports, reports) AS lacks_suitable,
       previous::INTEGER AS previous_year,
       reports_before,
       matched_reports,
       CASE WHEN previous IS NOT NULL THEN reports = matched_reports AND reports_before = matched_reports END
           AS same_reports,
       waiting_change::BIGINT AS waiting_change,
       placed_private_change::BIGINT AS placed_private_change,
       single_arrangements_change::BIGINT AS single_arrangements_change
FROM compared
ORDER BY target_group_id, year
