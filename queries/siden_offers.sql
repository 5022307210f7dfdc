-- "Siden sidste møde": the offers under the agreement with their places per year in the period, as
-- one snapshot has them (run on the meeting's snapshot and on today's; overblik/siden.py compares
-- them: opened, closed, changed in places). Offers are placed by their location, as on Kapacitet;
-- offers without a target group pass only when the area filter is 'alle'.
-- Params: $year_from, $year_to, $municipalities (list of codes), $area ('alle', 'Børn og unge', 'Voksne').
SELECT o.offer_id, o.name, op.name AS operator, m.name AS location, t.short_name,
       y.year::INTEGER AS year, y.places::DOUBLE AS places
FROM offers AS o
JOIN offer_years AS y ON y.offer_id = o.offer_id AND y.year BETWEEN $year_from AND $year_to
LEFT JOIN operators AS op ON op.operator_code = o.operator_code
LEFT JOIN municipalities AS m ON m.municipality_code = o.municipality_code
LEFT JOIN target_groups AS t ON t.target_group_id = o.target_group_id
WHERE o.kind = 'rammeaftale'
  AND list_contains($municipalities, o.municipality_code)
  AND area_match($area, t.area)
ORDER BY o.offer_id, year
