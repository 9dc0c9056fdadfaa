CREATE TABLE products (
	id BIGINT NOT NULL IDENTITY, 
	name VARCHAR(80) NOT NULL, 
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	updated_at DATETIME NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_products_created_at ON products (created_at);

CREATE TABLE orders (
	id BIGINT NOT NULL IDENTITY, 
	product_id BIGINT NOT NULL, 
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	updated_at DATETIME NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(product_id) REFERENCES products (id)
);
CREATE INDEX ix_orders_created_at ON orders (created_at);

CREATE TABLE invoices (
	id BIGINT NOT NULL IDENTITY, 
	total NUMERIC(12, 2) NOT NULL, 
	created_at DATETIMEOFFSET NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	updated_at DATETIME NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_invoices_created_at ON invoices (created_at);

