-- Reported difficulty (0-3) of finding an offer, per municipality and target group, in one year.
-- Every chosen municipality and every target group in the area gets a row; difficulty is NULL where
-- the municipality did not report.
-- Params: $year, $municipalities (list of codes), $area ('alle', 'Børn og unge', 'Voksne').
SELECT m.municipality_code, m.name AS municipality, t.target_group_id, t.short_name,
       d.difficulty, d.citizens_waiting, d.placed_private, d.single_arrangements
FROM municipalities AS m
CROSS JOIN target_groups AS t
LEFT JOIN demand AS d
       ON d.municipality_code = m.municipality_code
      AND d.target_group_id = t.target_group_id
      AND d.year = $year
WHERE list_contains($municipalities, m.municipality_code)
  AND area_match($area, t.area)
ORDER BY m.name, t.target_group_id
