-- The years the shared period filter offers: every year with spending, offer or demand data.
SELECT DISTINCT year FROM (
    SELECT year FROM spending
    UNION ALL SELECT year FROM offer_years
    UNION ALL SELECT year FROM demand
)
ORDER BY year
