-- Accounts (regnskab) per region, year and shared-filter area (filter_area macro), with the population
-- of the age group that area is measured per inhabitant against (per_capita_age_group macro): every
-- municipality of the country (all_* views), summed per region. The whole country is the sum of the
-- regions (done in Python). A municipality without region_code counts as the served region's ($region),
-- as in the views of overblik/db.py. The municipality filter does not apply; the area filter does.
-- Params: $year_from, $year_to, $area ('alle', 'Børn og unge', 'Voksne'), $region (served region code).
WITH s AS (
    SELECT coalesce(m.region_code, $region) AS region_code,
           s.year,
           filter_area(s.function_code, f.area) AS filter_area,
           sum(s.net_1000_dkk) AS net_1000_dkk
    FROM all_spending AS s
    JOIN account_functions AS f ON f.function_code = s.function_code
    JOIN all_municipalities AS m ON m.municipality_code = s.municipality_code
    WHERE s.kind = 'regnskab'
      AND s.year BETWEEN $year_from AND $year_to
      AND area_match($area, filter_area(s.function_code, f.area))
    GROUP BY ALL
),
p AS (
    SELECT coalesce(m.region_code, $region) AS region_code,
           p.year,
           p.age_group,
           sum(p.persons) AS persons
    FROM all_population AS p
    JOIN all_municipalities AS m ON m.municipality_code = p.municipality_code
    WHERE p.year BETWEEN $year_from AND $year_to
    GROUP BY ALL
)
SELECT s.region_code::INTEGER AS region_code,
       s.year::INTEGER AS year,
       s.filter_area,
       per_capita_age_group(s.filter_area) AS age_group,
       s.net_1000_dkk::DOUBLE AS net_1000_dkk,
       p.persons::BIGINT AS persons
FROM s
LEFT JOIN p
       ON p.region_code = s.region_code
      AND p.year = s.year
      AND p.age_group = per_capita_age_group(s.filter_area)
ORDER BY s.filter_area, s.region_code, s.year
