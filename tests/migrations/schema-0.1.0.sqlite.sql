CREATE TABLE institution (
	institution_key INTEGER NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	currency_code VARCHAR(8) NOT NULL, 
	currency_fraction_digit INTEGER NOT NULL, 
	currency_symbol VARCHAR(8) NOT NULL, 
	CONSTRAINT pk_institution PRIMARY KEY (institution_key), 
	CONSTRAINT ck_institution_single_row CHECK (institution_key = 1)
);

CREATE TABLE catalog_meta (
	meta_key INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	CONSTRAINT pk_catalog_meta PRIMARY KEY (meta_key), 
	CONSTRAINT ck_catalog_meta_single_row CHECK (meta_key = 1)
);

CREATE TABLE contingents (
	contingent_id INTEGER NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	CONSTRAINT pk_contingents PRIMARY KEY (contingent_id)
);

CREATE TABLE sales_channels (
	channel_id INTEGER NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	order_expiry_delay_seconds INTEGER NOT NULL, 
	order_max_lifespan_seconds INTEGER NOT NULL, 
	calls_per_minute INTEGER, 
	CONSTRAINT pk_sales_channels PRIMARY KEY (channel_id), 
	CONSTRAINT uq_sales_channels_code UNIQUE (code)
);

CREATE TABLE seat_categories (
	seat_category_id INTEGER NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	CONSTRAINT pk_seat_categories PRIMARY KEY (seat_category_id)
);

CREATE TABLE audience_sub_categories (
	audience_sub_category_id INTEGER NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	audience_category_id INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	CONSTRAINT pk_audience_sub_categories PRIMARY KEY (audience_sub_category_id)
);

CREATE TABLE venues (
	venue_id INTEGER NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	CONSTRAINT pk_venues PRIMARY KEY (venue_id)
);

CREATE TABLE products (
	product_id INTEGER NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	family VARCHAR(64) NOT NULL, 
	CONSTRAINT pk_products PRIMARY KEY (product_id)
);

CREATE TABLE items (
	item_id INTEGER NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	stock INTEGER NOT NULL, 
	CONSTRAINT pk_items PRIMARY KEY (item_id), 
	CONSTRAINT ck_items_stock CHECK (stock >= 0)
);

CREATE TABLE login_failures (
	login_key VARCHAR(64) NOT NULL, 
	failures INTEGER NOT NULL, 
	window_started_ms INTEGER NOT NULL, 
	locked_until_ms INTEGER, 
	CONSTRAINT pk_login_failures PRIMARY KEY (login_key)
);

CREATE TABLE files (
	file_id INTEGER NOT NULL, 
	channel_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_files PRIMARY KEY (file_id)
);

CREATE INDEX ix_files_channel_id ON files (channel_id);

CREATE TABLE stocks (
	stock_key VARCHAR(64) NOT NULL, 
	capacity INTEGER NOT NULL, 
	taken INTEGER NOT NULL, 
	CONSTRAINT pk_stocks PRIMARY KEY (stock_key), 
	CONSTRAINT ck_stocks_taken_within_capacity CHECK (taken >= 0 AND taken <= capacity)
);

CREATE TABLE performance_inventory (
	performance_id INTEGER NOT NULL, 
	version BIGINT NOT NULL, 
	CONSTRAINT pk_performance_inventory PRIMARY KEY (performance_id)
);

CREATE TABLE channel_contingents (
	channel_id INTEGER NOT NULL, 
	contingent_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_channel_contingents PRIMARY KEY (channel_id, contingent_id), 
	CONSTRAINT fk_channel_contingents_channel_id_sales_channels FOREIGN KEY(channel_id) REFERENCES sales_channels (channel_id), 
	CONSTRAINT fk_channel_contingents_contingent_id_contingents FOREIGN KEY(contingent_id) REFERENCES contingents (contingent_id)
);

CREATE TABLE points_of_sales (
	point_of_sales_id INTEGER NOT NULL, 
	channel_id INTEGER NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_points_of_sales PRIMARY KEY (point_of_sales_id), 
	CONSTRAINT fk_points_of_sales_channel_id_sales_channels FOREIGN KEY(channel_id) REFERENCES sales_channels (channel_id)
);

CREATE INDEX ix_points_of_sales_channel_id ON points_of_sales (channel_id);

CREATE TABLE operators (
	login VARCHAR(255) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	channel_id INTEGER NOT NULL, 
	CONSTRAINT pk_operators PRIMARY KEY (login), 
	CONSTRAINT fk_operators_channel_id_sales_channels FOREIGN KEY(channel_id) REFERENCES sales_channels (channel_id)
);

CREATE INDEX ix_operators_channel_id ON operators (channel_id);

CREATE TABLE charges (
	charge_id INTEGER NOT NULL, 
	channel_id INTEGER NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	per VARCHAR(16) NOT NULL, 
	amount INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_charges PRIMARY KEY (charge_id), 
	CONSTRAINT ck_charges_per CHECK (per IN ('TICKET', 'ORDER')), 
	CONSTRAINT ck_charges_amount CHECK (amount >= 0), 
	CONSTRAINT fk_charges_channel_id_sales_channels FOREIGN KEY(channel_id) REFERENCES sales_channels (channel_id)
);

CREATE INDEX ix_charges_channel_id ON charges (channel_id);

CREATE TABLE areas (
	area_id INTEGER NOT NULL, 
	venue_id INTEGER NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	numbered BOOLEAN NOT NULL, 
	capacity INTEGER, 
	seat_category_id INTEGER, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_areas PRIMARY KEY (area_id), 
	CONSTRAINT fk_areas_venue_id_venues FOREIGN KEY(venue_id) REFERENCES venues (venue_id), 
	CONSTRAINT fk_areas_seat_category_id_seat_categories FOREIGN KEY(seat_category_id) REFERENCES seat_categories (seat_category_id)
);

CREATE INDEX ix_areas_venue_id ON areas (venue_id);

CREATE TABLE performances (
	performance_id INTEGER NOT NULL, 
	product_id INTEGER NOT NULL, 
	venue_id INTEGER NOT NULL, 
	start DATETIME NOT NULL, 
	CONSTRAINT pk_performances PRIMARY KEY (performance_id), 
	CONSTRAINT fk_performances_product_id_products FOREIGN KEY(product_id) REFERENCES products (product_id), 
	CONSTRAINT fk_performances_venue_id_venues FOREIGN KEY(venue_id) REFERENCES venues (venue_id)
);

CREATE INDEX ix_performances_product_id ON performances (product_id);

CREATE TABLE item_prices (
	item_id INTEGER NOT NULL, 
	audience_sub_category_id INTEGER NOT NULL, 
	amount INTEGER NOT NULL, 
	CONSTRAINT pk_item_prices PRIMARY KEY (item_id, audience_sub_category_id), 
	CONSTRAINT ck_item_prices_amount CHECK (amount >= 0), 
	CONSTRAINT fk_item_prices_item_id_items FOREIGN KEY(item_id) REFERENCES items (item_id), 
	CONSTRAINT fk_item_prices_audience_sub_category_id_audience_sub_categories FOREIGN KEY(audience_sub_category_id) REFERENCES audience_sub_categories (audience_sub_category_id)
);

CREATE TABLE file_contacts (
	contact_id INTEGER NOT NULL, 
	file_id INTEGER NOT NULL, 
	contact_reference VARCHAR(128) NOT NULL, 
	first_name VARCHAR(200), 
	last_name VARCHAR(200), 
	email VARCHAR(320), 
	CONSTRAINT pk_file_contacts PRIMARY KEY (contact_id), 
	CONSTRAINT uq_file_contacts_file_id UNIQUE (file_id, contact_reference), 
	CONSTRAINT fk_file_contacts_file_id_files FOREIGN KEY(file_id) REFERENCES files (file_id)
);

CREATE TABLE orders (
	order_id INTEGER NOT NULL, 
	file_id INTEGER NOT NULL, 
	channel_id INTEGER NOT NULL, 
	point_of_sales_id INTEGER NOT NULL, 
	order_type VARCHAR(16) NOT NULL, 
	secret_id VARCHAR(64) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	closed_at DATETIME, 
	expires_at DATETIME NOT NULL, 
	contact_reference VARCHAR(128), 
	external_reference VARCHAR(128), 
	paid_amount BIGINT NOT NULL, 
	payment_state VARCHAR(16) NOT NULL, 
	CONSTRAINT pk_orders PRIMARY KEY (order_id), 
	CONSTRAINT fk_orders_file_id_files FOREIGN KEY(file_id) REFERENCES files (file_id), 
	CONSTRAINT uq_orders_secret_id UNIQUE (secret_id)
);

CREATE INDEX ix_orders_file_id ON orders (file_id);

CREATE INDEX ix_orders_state_expires_at ON orders (state, expires_at);

CREATE TABLE blocks (
	block_id INTEGER NOT NULL, 
	area_id INTEGER NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	seat_category_id INTEGER NOT NULL, 
	rank INTEGER NOT NULL, 
	CONSTRAINT pk_blocks PRIMARY KEY (block_id), 
	CONSTRAINT fk_blocks_area_id_areas FOREIGN KEY(area_id) REFERENCES areas (area_id), 
	CONSTRAINT fk_blocks_seat_category_id_seat_categories FOREIGN KEY(seat_category_id) REFERENCES seat_categories (seat_category_id)
);

CREATE INDEX ix_blocks_area_id ON blocks (area_id);

CREATE TABLE prices (
	performance_id INTEGER NOT NULL, 
	seat_category_id INTEGER NOT NULL, 
	audience_sub_category_id INTEGER NOT NULL, 
	amount INTEGER NOT NULL, 
	CONSTRAINT pk_prices PRIMARY KEY (performance_id, seat_category_id, audience_sub_category_id), 
	CONSTRAINT ck_prices_amount CHECK (amount >= 0), 
	CONSTRAINT fk_prices_performance_id_performances FOREIGN KEY(performance_id) REFERENCES performances (performance_id), 
	CONSTRAINT fk_prices_seat_category_id_seat_categories FOREIGN KEY(seat_category_id) REFERENCES seat_categories (seat_category_id), 
	CONSTRAINT fk_prices_audience_sub_category_id_audience_sub_categories FOREIGN KEY(audience_sub_category_id) REFERENCES audience_sub_categories (audience_sub_category_id)
);

CREATE TABLE contingent_pools (
	performance_id INTEGER NOT NULL, 
	contingent_id INTEGER NOT NULL, 
	area_id INTEGER NOT NULL, 
	CONSTRAINT pk_contingent_pools PRIMARY KEY (performance_id, contingent_id, area_id), 
	CONSTRAINT fk_contingent_pools_performance_id_performances FOREIGN KEY(performance_id) REFERENCES performances (performance_id), 
	CONSTRAINT fk_contingent_pools_contingent_id_contingents FOREIGN KEY(contingent_id) REFERENCES contingents (contingent_id), 
	CONSTRAINT fk_contingent_pools_area_id_areas FOREIGN KEY(area_id) REFERENCES areas (area_id)
);

CREATE TABLE payments (
	payment_id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	payment_method_id INTEGER NOT NULL, 
	amount BIGINT NOT NULL, 
	CONSTRAINT pk_payments PRIMARY KEY (payment_id), 
	CONSTRAINT ck_payments_amount_positive CHECK (amount > 0), 
	CONSTRAINT fk_payments_order_id_orders FOREIGN KEY(order_id) REFERENCES orders (order_id)
);

CREATE INDEX ix_payments_order_id ON payments (order_id);

CREATE TABLE operations (
	operation_id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	product_id INTEGER, 
	product_code VARCHAR(128), 
	performance_id INTEGER, 
	seat_category_id INTEGER, 
	audience_sub_category_id INTEGER, 
	area_id INTEGER, 
	item_id INTEGER, 
	contingent_id INTEGER, 
	charge_id INTEGER, 
	linked_operation_id INTEGER, 
	unit_price BIGINT NOT NULL, 
	quantity INTEGER NOT NULL, 
	CONSTRAINT pk_operations PRIMARY KEY (operation_id), 
	CONSTRAINT fk_operations_order_id_orders FOREIGN KEY(order_id) REFERENCES orders (order_id), 
	CONSTRAINT fk_operations_linked_operation_id_operations FOREIGN KEY(linked_operation_id) REFERENCES operations (operation_id)
);

CREATE INDEX ix_operations_order_id ON operations (order_id);

CREATE TABLE seats (
	seat_id INTEGER NOT NULL, 
	venue_id INTEGER NOT NULL, 
	area_id INTEGER NOT NULL, 
	block_id INTEGER NOT NULL, 
	seat_category_id INTEGER NOT NULL, 
	row_number VARCHAR(32) NOT NULL, 
	seat_number VARCHAR(32) NOT NULL, 
	row_rank INTEGER NOT NULL, 
	position_in_row INTEGER NOT NULL, 
	quality_order INTEGER NOT NULL, 
	CONSTRAINT pk_seats PRIMARY KEY (seat_id), 
	CONSTRAINT fk_seats_venue_id_venues FOREIGN KEY(venue_id) REFERENCES venues (venue_id), 
	CONSTRAINT fk_seats_area_id_areas FOREIGN KEY(area_id) REFERENCES areas (area_id), 
	CONSTRAINT fk_seats_block_id_blocks FOREIGN KEY(block_id) REFERENCES blocks (block_id), 
	CONSTRAINT fk_seats_seat_category_id_seat_categories FOREIGN KEY(seat_category_id) REFERENCES seat_categories (seat_category_id)
);

CREATE INDEX ix_seats_block_id ON seats (block_id);

CREATE INDEX ix_seats_area_id ON seats (area_id);

CREATE INDEX ix_seats_venue_quality ON seats (venue_id, quality_order);

CREATE TABLE movements (
	movement_id INTEGER NOT NULL, 
	operation_id INTEGER NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	performance_id INTEGER, 
	seat_id INTEGER, 
	area_id INTEGER, 
	block_id INTEGER, 
	row_number VARCHAR(32), 
	seat_number VARCHAR(32), 
	seat_category_id INTEGER, 
	item_id INTEGER, 
	contingent_id INTEGER, 
	price BIGINT NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	barcode VARCHAR(64), 
	CONSTRAINT pk_movements PRIMARY KEY (movement_id), 
	CONSTRAINT fk_movements_operation_id_operations FOREIGN KEY(operation_id) REFERENCES operations (operation_id), 
	CONSTRAINT uq_movements_barcode UNIQUE (barcode)
);

CREATE UNIQUE INDEX uq_movements_live_seat ON movements (performance_id, seat_id) WHERE state <> 'RELEASED';

CREATE INDEX ix_movements_performance_id_area_id ON movements (performance_id, area_id);

CREATE INDEX ix_movements_operation_id ON movements (operation_id);

