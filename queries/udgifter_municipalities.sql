-- Accounts (regnskab) per municipality in one year, per shared-filter area (filter_area macro), with
-- the population of the age group that area is measured per inhabitant against. Every municipality
-- of the region (the comparison ignores the municipality filter); the area filter applies.
-- Params: $year, $area ('alle', 'Børn og unge', 'Voksne').
WITH s AS (
    SELECT s.municipality_code,
           filter_area(s.function_code, f.area) AS filter_area,
           sum(s.net_1000_dkk) AS net_1000_dkk
    FROM spending AS s
    JOIN account_functions AS f ON f.function_code = s.function_code
    WHERE s.year = $year
      AND s.kind = 'regnskab'
      AND area_match($area, filter_area(s.function_code, f.area))
    GROUP BY ALL
)
SELECT m.municipality_code::INTEGER AS municipality_code,
       m.name,
       $year::INTEGER AS year,
       s.filter_area,
       per_capita_age_group(s.filter_area) AS age_group,
       s.net_1000_dkk::DOUBLE AS net_1000_dkk,
       p.persons::BIGINT AS persons
FROM s
JOIN municipalities AS m ON m.municipality_code = s.municipality_code
LEFT JOIN population AS p
       ON p.municipality_code = s.municipality_code
      AND p.year = $year
      AND p.age_group = per_capita_age_group(s.filter_area)
ORDER BY s.filter_area, m.name
