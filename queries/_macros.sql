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

-- The age group a spending area is measured per inhabitant against, as the key figures do (FLIS/ECO):
-- children and young people per 0-22-year-old (measures can run to 22 years), adults per 18-64-year-old.
CREATE MACRO per_capita_age_group(area) AS CASE WHEN area = 'Voksne' THEN '18-64' ELSE '0-22' END;

-- Capacity gap: demanded places (occupied places + citizens waiting) minus places offered.
-- Positive means shortage.
CREATE MACRO capacity_gap(occupied, waiting, places) AS (occupied + waiting) - places;

-- Whether a target group is short of places: its capacity gap is positive. The one place this is
-- decided; Python reads the resulting column (`short`) and never compares the gap with zero itself.
CREATE MACRO capacity_short(occupied, waiting, places) AS capacity_gap(occupied, waiting, places) > 0;

-- The first day a partial ISO date ('2015', '2015-11' or '2015-11-01') covers, for ordering and
-- comparing with a date; the SQL twin of fmt.pdate_start.
CREATE MACRO pdate_start(d) AS
    CAST(CASE length(d) WHEN 4 THEN d || '-01-01' WHEN 7 THEN d || '-01' ELSE d END AS DATE);
