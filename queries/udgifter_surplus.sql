-- Surplus (+) and deficit (-) per operator and year (1.000 kr.): offer_years.surplus_deficit_1000_dkk
-- summed over the operator's offers under the agreement. Offers are chosen by operator, as in
-- udgifter_rates.sql. Offers without a target group pass only when the area filter is 'alle'.
-- Params: $year_from, $year_to, $municipalities (list of codes), $whole_region (bool), $area.
SELECT o.operator_code::INTEGER AS operator_code,
       coalesce(op.name, CAST(o.operator_code AS VARCHAR)) AS operator,
       y.year::INTEGER AS year,
       count(*)::INTEGER AS offers,
       sum(y.surplus_deficit_1000_dkk)::DOUBLE AS surplus_1000_dkk
FROM offers AS o
JOIN offer_years AS y ON y.offer_id = o.offer_id
LEFT JOIN operators AS op ON op.operator_code = o.operator_code
LEFT JOIN target_groups AS t ON t.target_group_id = o.target_group_id
WHERE o.kind = 'rammeaftale'
  AND y.year BETWEEN $year_from AND $year_to
  AND ($whole_region OR list_contains($municipalities, o.operator_code))
  AND area_match($area, t.area)
GROUP BY ALL
ORDER BY operator, year
