-- One offer's places, occupancy against budget, rate and surplus/deficit per year of the period.
-- Params: $offer_id, $year_from, $year_to.
SELECT year::INTEGER AS year, places, occupancy_pct, budgeted_occupancy_pct, rate_dkk_per_day,
       surplus_deficit_1000_dkk
FROM offer_years
WHERE offer_id = $offer_id
  AND year BETWEEN $year_from AND $year_to
ORDER BY year
