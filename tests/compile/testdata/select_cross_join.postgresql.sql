-- note: CROSS JOIN; SQLAlchemy has no cross join and writes JOIN … ON true / 1 = 1.
SELECT t.id, o.v 
FROM t CROSS JOIN o
-- args: none
