-- note: NOT EXISTS (…) where SQLAlchemy writes NOT (EXISTS (…)); same meaning.
SELECT t.id 
FROM t 
WHERE NOT EXISTS (SELECT o.id 
FROM o 
WHERE o.t_id = t.id)
-- args: none
