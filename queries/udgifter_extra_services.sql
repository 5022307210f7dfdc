-- Tillægsydelser in the accounts (1.000 kr., current prices) per operator and year, for the offers under
-- the agreement chosen by operator as in udgifter_rates.sql, with the number of offers that sold them.
-- Params: $year_from, $year_to, $municipalities (list of codes), $whole_region (bool), $area.
SELECT coalesce(op.name, CAST(o.operator_code AS VARCHAR)) AS operator,
       e.year::INTEGER AS year,
       count(*)::INTEGER AS offers,
       sum(e.amount_1000_dkk)::DOUBLE AS amount_1000_dkk
FROM extra_services AS e
JOIN offers AS o ON o.offer_id = e.offer_id
LEFT JOIN operators AS op ON op.operator_code = o.operator_code
LEFT JOIN target_groups AS t ON t.target_group_id = o.target_group_id
WHERE o.kind = 'rammeaftale'
  AND e.year BETWEEN $year_from AND $year_to
  AND ($whole_region OR list_contains($municipalities, o.operator_code))
  AND area_match($area, t.area)
GROUP BY ALL
ORDER BY operator, year
