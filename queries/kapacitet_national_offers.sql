-- The national and regional-national offers (the 2015 list).
SELECT name, note FROM national_offers ORDER BY name
