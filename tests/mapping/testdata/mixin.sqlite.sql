CREATE TABLE products (
	id INTEGER NOT NULL, 
	name VARCHAR(80) NOT NULL, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	updated_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_products_created_at ON products (created_at);

CREATE TABLE orders (
	id INTEGER NOT NULL, 
	product_id BIGINT NOT NULL, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	updated_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(product_id) REFERENCES products (id)
);
CREATE INDEX ix_orders_created_at ON orders (created_at);

CREATE TABLE invoices (
	id INTEGER NOT NULL, 
	total NUMERIC(12, 2) NOT NULL, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	updated_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_invoices_created_at ON invoices (created_at);

