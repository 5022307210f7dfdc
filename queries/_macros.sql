-- Shared rules, created as macros in every database (overblik/db.py). One place for each rule.

-- The area a spending function counts under in the shared area filter. Special education is split
-- by age: specialpædagogisk bistand til voksne (3.22.17) and STU for young people aged 16-25 (3.30.46)
-- count under 'Voksne' (measured per 18-64-year-old), the special schools under 'Børn og unge'.
CREATE MACRO filter_area(function_code, area) AS
    CASE WHEN area = 'Specialundervisning'
         THEN CASE WHEN function_code IN ('3.22.17', '3.30.46') THEN 'Voksne' ELSE 'Børn og unge' END
         ELSE area END;

-- Whether a row's area passes the shared area filter ('alle', 'Børn og unge' or 'Voksne').
CREATE MACRO area_match(chosen, area) AS chosen = 'alle' OR chosen = area;

-- The age group a spending area is measured per inhabitant against (definitions.per_inhabitant): children
-- and young people per 0-22-year-old, as FLIS's key figures for children at risk (measures can run to 22
-- years), adults per 18-64-year-old.
CREATE MACRO per_capita_age_group(area) AS CASE WHEN area = 'Voksne' THEN '18-64' ELSE '0-22' END;

-- Occupied places in whole places: places x occupancy / 100, summed over a target group's offers and then
-- rounded down (a remainder under one place is not an occupied place; definitions.capacity_gap says so to
-- the reader). Every capacity number shown is a whole number of places, so the
-- parts add up: demanded = whole occupied + waiting; gap = demanded - places.
CREATE MACRO whole_occupied(occupied) AS floor(occupied + 1e-9)::BIGINT;

-- Capacity gap in whole places: (whole occupied places + citizens waiting) - places offered.
-- Positive means missing places, negative free places. floor(occupied) + waiting - places equals
-- floor(exact gap), so an exact gap below one place is never a missing place.
-- The citizens waiting come from the municipalities' reports: without a report for the target group and
-- year, waiting is NULL (not 0), and so is the gap: it cannot be computed ("ikke indberettet").
CREATE MACRO capacity_gap(occupied, waiting, places) AS (whole_occupied(occupied) + waiting) - places;

-- Whether a target group is short of places ("mangler pladser"): at least one whole place missing. The
-- one place this is decided; Python reads the resulting column (`short`) and never compares the gap itself.
-- NULL without a report (waiting NULL): neither short nor not short.
CREATE MACRO capacity_short(occupied, waiting, places) AS capacity_gap(occupied, waiting, places) >= 1;

-- Whether the municipalities report that a target group lacks suitable offers ("mangler egnede
-- tilbud"), whatever the number of free places: at least half of the municipalities that reported
-- call it significantly or very difficult (difficulty 2 or 3) to find an offer. Seed 000: "der ofte
-- opleves mangel på egnede tilbud"; "efterspørgsel ... i høj grad omhandler, at tilbudsviften fagligt
-- set afspejler det, der efterspørges".
-- NULL when no municipality reported for the target group that year: a group without reports is
-- "ikke indberettet", counted neither as lacking nor as not lacking suitable offers.
CREATE MACRO lacks_suitable(hard_reports, reports) AS
    CASE WHEN reports > 0 THEN 2 * hard_reports >= reports END;

-- How a central notice stands: 'åben' (the national board's assessment for Midtjylland is pending,
-- is_open = 1), 'udfald ukendt' (closed for us, but no public source gives the outcome) or 'afsluttet'.
CREATE MACRO notice_state(is_open, outcome) AS
    CASE WHEN is_open = 1 THEN 'åben'
         WHEN outcome IS NULL OR trim(outcome) = ''
              OR lower(outcome) LIKE 'udfald ikke fundet%' OR lower(outcome) LIKE 'udfald ukendt%'
         THEN 'udfald ukendt'
         ELSE 'afsluttet' END;

-- The first day a partial ISO date ('2015', '2015-11' or '2015-11-01') covers, for ordering and
-- comparing with a date; the SQL twin of fmt.pdate_start.
CREATE MACRO pdate_start(d) AS
    CAST(CASE length(d) WHEN 4 THEN d || '-01-01' WHEN 7 THEN d || '-01' ELSE d END AS DATE);
