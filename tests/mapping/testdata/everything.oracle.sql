-- error: retort: compile: dialect oracle does not support JSON type (in table "everything", column "payload")
CREATE INDEX ix_xy ON everything (x, y);
CREATE INDEX ix_everything_status ON everything (status);

