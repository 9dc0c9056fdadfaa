-- note: refused where there are no sequences (SQLite); SQLAlchemy renders it.
DROP SEQUENCE order_seq
-- args: none
