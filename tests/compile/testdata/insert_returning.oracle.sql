INSERT INTO t (name) VALUES (:1) RETURNING t.id, t.ts INTO :2, :3
-- args: "a", core.OutParam{Type:core.Integer{}}, core.OutParam{Type:core.DateTime{Timezone:false}}
