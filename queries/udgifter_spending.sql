-- Net operating spending (current prices, 1.000 kr.) per year, kind and account function, summed over
-- the chosen municipalities. Each row carries the function's own area (Børn og unge, Voksne,
-- Specialundervisning), the area it counts under in the shared filter (filter_area macro: special
-- education for adults under Voksne, the rest under Børn og unge) and the age group it is measured
-- per inhabitant against (per_capita_age_group macro: 0-17 or 18-64).
-- Years: the period and the year before it (so the first year of the period has a change).
-- Params: $year_from, $year_to, $municipalities (list of codes), $area ('alle', 'Børn og unge', 'Voksne').
SELECT s.year::INTEGER AS year,
       s.kind,
       s.function_code,
       f.name AS function_name,
       f.area,
       filter_area(s.function_code, f.area) AS filter_area,
       per_capita_age_group(filter_area(s.function_code, f.area)) AS age_group,
       sum(s.net_1000_dkk)::DOUBLE AS net_1000_dkk
FROM spending AS s
JOIN account_functions AS f ON f.function_code = s.function_code
WHERE s.year BETWEEN $year_from - 1 AND $year_to
  AND list_contains($municipalities, s.municipality_code)
  AND area_match($area, filter_area(s.function_code, f.area))
GROUP BY ALL
ORDER BY year, kind, function_code
