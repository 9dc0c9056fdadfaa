-- note: refused where there are no sequences (SQLite); SQLAlchemy renders it.
CREATE SEQUENCE order_seq INCREMENT BY 10 START WITH 100
-- args: none
