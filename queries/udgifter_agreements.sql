-- The agreement periods with their rate rule in text and numbers and the price basis the rule is judged
-- in (the rule checks in overblik/rates.py read the numbers from here; they are never written in Python).
-- An empty price basis falls back to fixed prices in overblik/rates.py (rates follow the PL index).
SELECT period,
       start_year::INTEGER AS start_year,
       end_year::INTEGER AS end_year,
       rate_rule,
       rate_max_yearly_change_pct::DOUBLE AS rate_max_yearly_change_pct,
       rate_min_reduction_over_period_pct::DOUBLE AS rate_min_reduction_over_period_pct,
       rate_price_basis,
       source
FROM agreements
ORDER BY start_year
