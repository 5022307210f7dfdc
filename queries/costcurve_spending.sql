-- Net operating spending (current prices, 1.000 kr.) per municipality, year, kind (regnskab/budget),
-- account area and shared-filter area, with the age group that area is measured per inhabitant against
-- (filter_area and per_capita_age_group macros: the same rule as Udgifter). Every year and every
-- municipality of the configured region (the cost curve fits its trend on all accounts years before
-- the agreement period, and the decomposition has one row per municipality); the area filter applies.
-- Params: $area ('alle', 'Børn og unge', 'Voksne').
SELECT s.municipality_code::INTEGER AS municipality_code,
       m.name,
       s.year::INTEGER AS year,
       s.kind,
       f.area,
       filter_area(s.function_code, f.area) AS filter_area,
       per_capita_age_group(filter_area(s.function_code, f.area)) AS age_group,
       sum(s.net_1000_dkk)::DOUBLE AS net_1000_dkk
FROM spending AS s
JOIN account_functions AS f ON f.function_code = s.function_code
JOIN municipalities AS m ON m.municipality_code = s.municipality_code
WHERE area_match($area, filter_area(s.function_code, f.area))
GROUP BY ALL
ORDER BY municipality_code, year, kind, area, filter_area
