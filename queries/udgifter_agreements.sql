-- The agreement periods with their rate rule in text and numbers (the rule checks in overblik/rates.py
-- read the numbers from here; they are never written in Python).
SELECT period,
       start_year::INTEGER AS start_year,
       end_year::INTEGER AS end_year,
       rate_rule,
       rate_max_yearly_change_pct::DOUBLE AS rate_max_yearly_change_pct,
       rate_min_reduction_over_period_pct::DOUBLE AS rate_min_reduction_over_period_pct
FROM agreements
ORDER BY start_year
