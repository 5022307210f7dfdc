-- "Siden sidste møde": spending as one snapshot has it, per year, kind (regnskab / budget) and area,
-- summed over the chosen municipalities (current prices, 1.000 kr.). Run once on the snapshot current
-- at the meeting and once on today's; overblik/siden.py compares the two (revisions, years added).
-- Area: the account function's own area (Børn og unge, Voksne, Specialundervisning), as Udgifter and Overblik
-- name it; the area filter picks functions by their filter area (filter_area macro: special schools count
-- under Børn og unge there).
-- Params: $year_from, $year_to, $municipalities (list of codes), $area ('alle', 'Børn og unge', 'Voksne').
SELECT s.year::INTEGER AS year,
       s.kind,
       f.area,
       sum(s.net_1000_dkk)::DOUBLE AS net_1000_dkk
FROM spending AS s
JOIN account_functions AS f ON f.function_code = s.function_code
WHERE s.year BETWEEN $year_from AND $year_to
  AND list_contains($municipalities, s.municipality_code)
  AND area_match($area, filter_area(s.function_code, f.area))
GROUP BY ALL
ORDER BY year, kind, area
