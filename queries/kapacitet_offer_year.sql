-- The latest year in the period with offers under the agreement for the chosen municipalities and area:
-- the year of the offer list when the municipalities' reports (from 2026) do not cover the period.
-- Params: $year_from, $year_to, $municipalities (list of codes), $area ('alle', 'Børn og unge', 'Voksne').
SELECT max(y.year)::INTEGER AS year
FROM offers AS o
JOIN offer_years AS y ON y.offer_id = o.offer_id AND y.year BETWEEN $year_from AND $year_to
LEFT JOIN target_groups AS t ON t.target_group_id = o.target_group_id
WHERE o.kind = 'rammeaftale'
  AND list_contains($municipalities, o.municipality_code)
  AND area_match($area, t.area)
