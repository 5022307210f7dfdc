-- Capacity per target group and year: what the municipalities report (difficulty, citizens in private
-- offers, single-person arrangements, waiting), places offered under the agreement, occupancy, and the
-- gap in whole places, with whether the group is short of places and whether the municipalities
-- report that it lacks suitable offers (rules: whole_occupied, capacity_gap, capacity_short and
-- lacks_suitable in _macros.sql). Demand per target group exists from the municipalities' joint
-- survey in early 2026 (seed 000): earlier years have no demand rows and are not shown.
-- Offers count where they are located (offers.municipality_code); demand counts for the municipality
-- that reported it (demand.municipality_code). Only offers of kind 'rammeaftale' with a target group.
-- Years: those in the period with both offer and demand data (the gap needs both).
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
need AS (
    SELECT target_group_id, year,
           sum(citizens_waiting) AS waiting,
           sum(placed_private) AS placed_private,
           sum(single_arrangements) AS single_arrangements,
           count(*) AS reports,
           count(*) FILTER (WHERE difficulty >= 2) AS hard_reports,
           avg(difficulty) AS mean_difficulty
    FROM demand
    WHERE list_contains($municipalities, municipality_code)
      AND year BETWEEN $year_from AND $year_to
    GROUP BY target_group_id, year
),
joined AS (
    SELECT t.target_group_id, t.short_name, t.name, t.area, yr.year,
           coalesce(s.offers, 0) AS offers,
           coalesce(s.places, 0) AS places,
           coalesce(s.occupied, 0) AS occupied,
           coalesce(n.waiting, 0) AS waiting,
           coalesce(n.placed_private, 0) AS placed_private,
           coalesce(n.single_arrangements, 0) AS single_arrangements,
           coalesce(n.reports, 0) AS reports,
           coalesce(n.hard_reports, 0) AS hard_reports,
           n.mean_difficulty
    FROM target AS t
    CROSS JOIN years AS yr
    LEFT JOIN supply AS s ON s.target_group_id = t.target_group_id AND s.year = yr.year
    LEFT JOIN need AS n ON n.target_group_id = t.target_group_id AND n.year = yr.year
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
       hard_reports::BIGINT AS hard_reports,
       mean_difficulty::DOUBLE AS mean_difficulty,
       (whole_occupied(occupied) + waiting)::BIGINT AS demanded,
       capacity_gap(occupied, waiting, places)::BIGINT AS gap,
       capacity_short(occupied, waiting, places) AS short,
       lacks_suitable(hard_reports, reports) AS lacks_suitable
FROM joined
ORDER BY target_group_id, year
