-- note: NOT EXISTS (…) where SQLAlchemy writes NOT (EXISTS (…)); same meaning.
DELETE FROM o WHERE NOT EXISTS (SELECT t.id 
FROM t 
WHERE t.id = o.t_id)
-- args: none
