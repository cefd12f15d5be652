SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;


CREATE TABLE public.areas (
    area_id bigint NOT NULL,
    venue_id bigint NOT NULL,
    name character varying(255) NOT NULL,
    numbered boolean NOT NULL,
    capacity integer,
    seat_category_id bigint,
    "position" integer NOT NULL
);



CREATE TABLE public.audience_sub_categories (
    audience_sub_category_id bigint NOT NULL,
    name character varying(255) NOT NULL,
    audience_category_id bigint NOT NULL,
    kind character varying(32) NOT NULL
);



CREATE TABLE public.blocks (
    block_id bigint NOT NULL,
    area_id bigint NOT NULL,
    name character varying(255) NOT NULL,
    seat_category_id bigint NOT NULL,
    rank integer NOT NULL
);



CREATE TABLE public.catalog_meta (
    meta_key integer NOT NULL,
    version integer NOT NULL,
    CONSTRAINT ck_catalog_meta_single_row CHECK ((meta_key = 1))
);



CREATE TABLE public.channel_contingents (
    channel_id bigint NOT NULL,
    contingent_id bigint NOT NULL,
    "position" integer NOT NULL
);



CREATE TABLE public.charges (
    charge_id bigint NOT NULL,
    channel_id bigint NOT NULL,
    name character varying(255) NOT NULL,
    per character varying(16) NOT NULL,
    amount bigint NOT NULL,
    "position" integer NOT NULL,
    CONSTRAINT ck_charges_amount CHECK ((amount >= 0)),
    CONSTRAINT ck_charges_per CHECK (((per)::text = ANY ((ARRAY['TICKET'::character varying, 'ORDER'::character varying])::text[])))
);



CREATE TABLE public.contingent_pools (
    performance_id bigint NOT NULL,
    contingent_id bigint NOT NULL,
    area_id bigint NOT NULL
);



CREATE TABLE public.contingents (
    contingent_id bigint NOT NULL,
    name character varying(255) NOT NULL
);



CREATE TABLE public.file_contacts (
    contact_id bigint NOT NULL,
    file_id bigint NOT NULL,
    contact_reference character varying(128) NOT NULL,
    first_name character varying(200),
    last_name character varying(200),
    email character varying(320)
);



CREATE SEQUENCE public.file_contacts_contact_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;



ALTER SEQUENCE public.file_contacts_contact_id_seq OWNED BY public.file_contacts.contact_id;



CREATE TABLE public.files (
    file_id bigint NOT NULL,
    channel_id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);



CREATE SEQUENCE public.files_file_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;



ALTER SEQUENCE public.files_file_id_seq OWNED BY public.files.file_id;



CREATE TABLE public.institution (
    institution_key integer NOT NULL,
    code character varying(64) NOT NULL,
    name character varying(255) NOT NULL,
    currency_code character varying(8) NOT NULL,
    currency_fraction_digit integer NOT NULL,
    currency_symbol character varying(8) NOT NULL,
    CONSTRAINT ck_institution_single_row CHECK ((institution_key = 1))
);



CREATE TABLE public.item_prices (
    item_id bigint NOT NULL,
    audience_sub_category_id bigint NOT NULL,
    amount bigint NOT NULL,
    CONSTRAINT ck_item_prices_amount CHECK ((amount >= 0))
);



CREATE TABLE public.items (
    item_id bigint NOT NULL,
    code character varying(64) NOT NULL,
    name character varying(255) NOT NULL,
    stock integer NOT NULL,
    CONSTRAINT ck_items_stock CHECK ((stock >= 0))
);



CREATE TABLE public.login_failures (
    login_key character varying(64) NOT NULL,
    failures integer NOT NULL,
    window_started_ms bigint NOT NULL,
    locked_until_ms bigint
);



CREATE TABLE public.movements (
    movement_id bigint NOT NULL,
    operation_id bigint NOT NULL,
    kind character varying(16) NOT NULL,
    performance_id bigint,
    seat_id bigint,
    area_id bigint,
    block_id bigint,
    row_number character varying(32),
    seat_number character varying(32),
    seat_category_id bigint,
    item_id bigint,
    contingent_id bigint,
    price bigint NOT NULL,
    state character varying(16) NOT NULL,
    barcode character varying(64)
);



CREATE SEQUENCE public.movements_movement_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;



ALTER SEQUENCE public.movements_movement_id_seq OWNED BY public.movements.movement_id;



CREATE TABLE public.operations (
    operation_id bigint NOT NULL,
    order_id bigint NOT NULL,
    kind character varying(16) NOT NULL,
    state character varying(16) NOT NULL,
    product_id bigint,
    product_code character varying(128),
    performance_id bigint,
    seat_category_id bigint,
    audience_sub_category_id bigint,
    area_id bigint,
    item_id bigint,
    contingent_id bigint,
    charge_id bigint,
    linked_operation_id bigint,
    unit_price bigint NOT NULL,
    quantity integer NOT NULL
);



CREATE SEQUENCE public.operations_operation_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;



ALTER SEQUENCE public.operations_operation_id_seq OWNED BY public.operations.operation_id;



CREATE TABLE public.operators (
    login character varying(255) NOT NULL,
    password_hash character varying(255) NOT NULL,
    channel_id bigint NOT NULL
);



CREATE TABLE public.orders (
    order_id bigint NOT NULL,
    file_id bigint NOT NULL,
    channel_id bigint NOT NULL,
    point_of_sales_id bigint NOT NULL,
    order_type character varying(16) NOT NULL,
    secret_id character varying(64) NOT NULL,
    state character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone,
    expires_at timestamp with time zone NOT NULL,
    contact_reference character varying(128),
    external_reference character varying(128),
    paid_amount bigint NOT NULL,
    payment_state character varying(16) NOT NULL
);



CREATE SEQUENCE public.orders_order_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;



ALTER SEQUENCE public.orders_order_id_seq OWNED BY public.orders.order_id;



CREATE TABLE public.payments (
    payment_id bigint NOT NULL,
    order_id bigint NOT NULL,
    payment_method_id bigint NOT NULL,
    amount bigint NOT NULL,
    CONSTRAINT ck_payments_amount_positive CHECK ((amount > 0))
);



CREATE SEQUENCE public.payments_payment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;



ALTER SEQUENCE public.payments_payment_id_seq OWNED BY public.payments.payment_id;



CREATE TABLE public.performance_inventory (
    performance_id bigint NOT NULL,
    version bigint NOT NULL
);



CREATE TABLE public.performances (
    performance_id bigint NOT NULL,
    product_id bigint NOT NULL,
    venue_id bigint NOT NULL,
    start timestamp with time zone NOT NULL
);



CREATE TABLE public.points_of_sales (
    point_of_sales_id bigint NOT NULL,
    channel_id bigint NOT NULL,
    code character varying(64) NOT NULL,
    "position" integer NOT NULL
);



CREATE TABLE public.prices (
    performance_id bigint NOT NULL,
    seat_category_id bigint NOT NULL,
    audience_sub_category_id bigint NOT NULL,
    amount bigint NOT NULL,
    CONSTRAINT ck_prices_amount CHECK ((amount >= 0))
);



CREATE TABLE public.products (
    product_id bigint NOT NULL,
    code character varying(64) NOT NULL,
    name character varying(255) NOT NULL,
    family character varying(64) NOT NULL
);



CREATE TABLE public.sales_channels (
    channel_id bigint NOT NULL,
    code character varying(64) NOT NULL,
    name character varying(255) NOT NULL,
    order_expiry_delay_seconds integer NOT NULL,
    order_max_lifespan_seconds integer NOT NULL,
    calls_per_minute integer
);



CREATE TABLE public.seat_categories (
    seat_category_id bigint NOT NULL,
    name character varying(255) NOT NULL
);



CREATE TABLE public.seats (
    seat_id bigint NOT NULL,
    venue_id bigint NOT NULL,
    area_id bigint NOT NULL,
    block_id bigint NOT NULL,
    seat_category_id bigint NOT NULL,
    row_number character varying(32) NOT NULL,
    seat_number character varying(32) NOT NULL,
    row_rank integer NOT NULL,
    position_in_row integer NOT NULL,
    quality_order integer NOT NULL
);



CREATE TABLE public.stocks (
    stock_key character varying(64) NOT NULL,
    capacity integer NOT NULL,
    taken integer NOT NULL,
    CONSTRAINT ck_stocks_taken_within_capacity CHECK (((taken >= 0) AND (taken <= capacity)))
);



CREATE TABLE public.venues (
    venue_id bigint NOT NULL,
    name character varying(255) NOT NULL
);



ALTER TABLE ONLY public.file_contacts ALTER COLUMN contact_id SET DEFAULT nextval('public.file_contacts_contact_id_seq'::regclass);



ALTER TABLE ONLY public.files ALTER COLUMN file_id SET DEFAULT nextval('public.files_file_id_seq'::regclass);



ALTER TABLE ONLY public.movements ALTER COLUMN movement_id SET DEFAULT nextval('public.movements_movement_id_seq'::regclass);



ALTER TABLE ONLY public.operations ALTER COLUMN operation_id SET DEFAULT nextval('public.operations_operation_id_seq'::regclass);



ALTER TABLE ONLY public.orders ALTER COLUMN order_id SET DEFAULT nextval('public.orders_order_id_seq'::regclass);



ALTER TABLE ONLY public.payments ALTER COLUMN payment_id SET DEFAULT nextval('public.payments_payment_id_seq'::regclass);



ALTER TABLE ONLY public.areas
    ADD CONSTRAINT pk_areas PRIMARY KEY (area_id);



ALTER TABLE ONLY public.audience_sub_categories
    ADD CONSTRAINT pk_audience_sub_categories PRIMARY KEY (audience_sub_category_id);



ALTER TABLE ONLY public.blocks
    ADD CONSTRAINT pk_blocks PRIMARY KEY (block_id);



ALTER TABLE ONLY public.catalog_meta
    ADD CONSTRAINT pk_catalog_meta PRIMARY KEY (meta_key);



ALTER TABLE ONLY public.channel_contingents
    ADD CONSTRAINT pk_channel_contingents PRIMARY KEY (channel_id, contingent_id);



ALTER TABLE ONLY public.charges
    ADD CONSTRAINT pk_charges PRIMARY KEY (charge_id);



ALTER TABLE ONLY public.contingent_pools
    ADD CONSTRAINT pk_contingent_pools PRIMARY KEY (performance_id, contingent_id, area_id);



ALTER TABLE ONLY public.contingents
    ADD CONSTRAINT pk_contingents PRIMARY KEY (contingent_id);



ALTER TABLE ONLY public.file_contacts
    ADD CONSTRAINT pk_file_contacts PRIMARY KEY (contact_id);



ALTER TABLE ONLY public.files
    ADD CONSTRAINT pk_files PRIMARY KEY (file_id);



ALTER TABLE ONLY public.institution
    ADD CONSTRAINT pk_institution PRIMARY KEY (institution_key);



ALTER TABLE ONLY public.item_prices
    ADD CONSTRAINT pk_item_prices PRIMARY KEY (item_id, audience_sub_category_id);



ALTER TABLE ONLY public.items
    ADD CONSTRAINT pk_items PRIMARY KEY (item_id);



ALTER TABLE ONLY public.login_failures
    ADD CONSTRAINT pk_login_failures PRIMARY KEY (login_key);



ALTER TABLE ONLY public.movements
    ADD CONSTRAINT pk_movements PRIMARY KEY (movement_id);



ALTER TABLE ONLY public.operations
    ADD CONSTRAINT pk_operations PRIMARY KEY (operation_id);



ALTER TABLE ONLY public.operators
    ADD CONSTRAINT pk_operators PRIMARY KEY (login);



ALTER TABLE ONLY public.orders
    ADD CONSTRAINT pk_orders PRIMARY KEY (order_id);



ALTER TABLE ONLY public.payments
    ADD CONSTRAINT pk_payments PRIMARY KEY (payment_id);



ALTER TABLE ONLY public.performance_inventory
    ADD CONSTRAINT pk_performance_inventory PRIMARY KEY (performance_id);



ALTER TABLE ONLY public.performances
    ADD CONSTRAINT pk_performances PRIMARY KEY (performance_id);



ALTER TABLE ONLY public.points_of_sales
    ADD CONSTRAINT pk_points_of_sales PRIMARY KEY (point_of_sales_id);



ALTER TABLE ONLY public.prices
    ADD CONSTRAINT pk_prices PRIMARY KEY (performance_id, seat_category_id, audience_sub_category_id);



ALTER TABLE ONLY public.products
    ADD CONSTRAINT pk_products PRIMARY KEY (product_id);



ALTER TABLE ONLY public.sales_channels
    ADD CONSTRAINT pk_sales_channels PRIMARY KEY (channel_id);



ALTER TABLE ONLY public.seat_categories
    ADD CONSTRAINT pk_seat_categories PRIMARY KEY (seat_category_id);



ALTER TABLE ONLY public.seats
    ADD CONSTRAINT pk_seats PRIMARY KEY (seat_id);



ALTER TABLE ONLY public.stocks
    ADD CONSTRAINT pk_stocks PRIMARY KEY (stock_key);



ALTER TABLE ONLY public.venues
    ADD CONSTRAINT pk_venues PRIMARY KEY (venue_id);



ALTER TABLE ONLY public.file_contacts
    ADD CONSTRAINT uq_file_contacts_file_id UNIQUE (file_id, contact_reference);



ALTER TABLE ONLY public.movements
    ADD CONSTRAINT uq_movements_barcode UNIQUE (barcode);



ALTER TABLE ONLY public.orders
    ADD CONSTRAINT uq_orders_secret_id UNIQUE (secret_id);



ALTER TABLE ONLY public.sales_channels
    ADD CONSTRAINT uq_sales_channels_code UNIQUE (code);



CREATE INDEX ix_areas_venue_id ON public.areas USING btree (venue_id);



CREATE INDEX ix_blocks_area_id ON public.blocks USING btree (area_id);



CREATE INDEX ix_charges_channel_id ON public.charges USING btree (channel_id);



CREATE INDEX ix_files_channel_id ON public.files USING btree (channel_id);



CREATE INDEX ix_movements_operation_id ON public.movements USING btree (operation_id);



CREATE INDEX ix_movements_performance_id_area_id ON public.movements USING btree (performance_id, area_id);



CREATE INDEX ix_operations_order_id ON public.operations USING btree (order_id);



CREATE INDEX ix_operators_channel_id ON public.operators USING btree (channel_id);



CREATE INDEX ix_orders_file_id ON public.orders USING btree (file_id);



CREATE INDEX ix_orders_state_expires_at ON public.orders USING btree (state, expires_at);



CREATE INDEX ix_payments_order_id ON public.payments USING btree (order_id);



CREATE INDEX ix_performances_product_id ON public.performances USING btree (product_id);



CREATE INDEX ix_points_of_sales_channel_id ON public.points_of_sales USING btree (channel_id);



CREATE INDEX ix_seats_area_id ON public.seats USING btree (area_id);



CREATE INDEX ix_seats_block_id ON public.seats USING btree (block_id);



CREATE INDEX ix_seats_venue_quality ON public.seats USING btree (venue_id, quality_order);



CREATE UNIQUE INDEX uq_movements_live_seat ON public.movements USING btree (performance_id, seat_id) WHERE ((state)::text <> 'RELEASED'::text);



ALTER TABLE ONLY public.areas
    ADD CONSTRAINT fk_areas_seat_category_id_seat_categories FOREIGN KEY (seat_category_id) REFERENCES public.seat_categories(seat_category_id);



ALTER TABLE ONLY public.areas
    ADD CONSTRAINT fk_areas_venue_id_venues FOREIGN KEY (venue_id) REFERENCES public.venues(venue_id);



ALTER TABLE ONLY public.blocks
    ADD CONSTRAINT fk_blocks_area_id_areas FOREIGN KEY (area_id) REFERENCES public.areas(area_id);



ALTER TABLE ONLY public.blocks
    ADD CONSTRAINT fk_blocks_seat_category_id_seat_categories FOREIGN KEY (seat_category_id) REFERENCES public.seat_categories(seat_category_id);



ALTER TABLE ONLY public.channel_contingents
    ADD CONSTRAINT fk_channel_contingents_channel_id_sales_channels FOREIGN KEY (channel_id) REFERENCES public.sales_channels(channel_id);



ALTER TABLE ONLY public.channel_contingents
    ADD CONSTRAINT fk_channel_contingents_contingent_id_contingents FOREIGN KEY (contingent_id) REFERENCES public.contingents(contingent_id);



ALTER TABLE ONLY public.charges
    ADD CONSTRAINT fk_charges_channel_id_sales_channels FOREIGN KEY (channel_id) REFERENCES public.sales_channels(channel_id);



ALTER TABLE ONLY public.contingent_pools
    ADD CONSTRAINT fk_contingent_pools_area_id_areas FOREIGN KEY (area_id) REFERENCES public.areas(area_id);



ALTER TABLE ONLY public.contingent_pools
    ADD CONSTRAINT fk_contingent_pools_contingent_id_contingents FOREIGN KEY (contingent_id) REFERENCES public.contingents(contingent_id);



ALTER TABLE ONLY public.contingent_pools
    ADD CONSTRAINT fk_contingent_pools_performance_id_performances FOREIGN KEY (performance_id) REFERENCES public.performances(performance_id);



ALTER TABLE ONLY public.file_contacts
    ADD CONSTRAINT fk_file_contacts_file_id_files FOREIGN KEY (file_id) REFERENCES public.files(file_id);



ALTER TABLE ONLY public.item_prices
    ADD CONSTRAINT fk_item_prices_audience_sub_category_id_audience_sub_categories FOREIGN KEY (audience_sub_category_id) REFERENCES public.audience_sub_categories(audience_sub_category_id);



ALTER TABLE ONLY public.item_prices
    ADD CONSTRAINT fk_item_prices_item_id_items FOREIGN KEY (item_id) REFERENCES public.items(item_id);



ALTER TABLE ONLY public.movements
    ADD CONSTRAINT fk_movements_operation_id_operations FOREIGN KEY (operation_id) REFERENCES public.operations(operation_id);



ALTER TABLE ONLY public.operations
    ADD CONSTRAINT fk_operations_linked_operation_id_operations FOREIGN KEY (linked_operation_id) REFERENCES public.operations(operation_id);



ALTER TABLE ONLY public.operations
    ADD CONSTRAINT fk_operations_order_id_orders FOREIGN KEY (order_id) REFERENCES public.orders(order_id);



ALTER TABLE ONLY public.operators
    ADD CONSTRAINT fk_operators_channel_id_sales_channels FOREIGN KEY (channel_id) REFERENCES public.sales_channels(channel_id);



ALTER TABLE ONLY public.orders
    ADD CONSTRAINT fk_orders_file_id_files FOREIGN KEY (file_id) REFERENCES public.files(file_id);



ALTER TABLE ONLY public.payments
    ADD CONSTRAINT fk_payments_order_id_orders FOREIGN KEY (order_id) REFERENCES public.orders(order_id);



ALTER TABLE ONLY public.performances
    ADD CONSTRAINT fk_performances_product_id_products FOREIGN KEY (product_id) REFERENCES public.products(product_id);



ALTER TABLE ONLY public.performances
    ADD CONSTRAINT fk_performances_venue_id_venues FOREIGN KEY (venue_id) REFERENCES public.venues(venue_id);



ALTER TABLE ONLY public.points_of_sales
    ADD CONSTRAINT fk_points_of_sales_channel_id_sales_channels FOREIGN KEY (channel_id) REFERENCES public.sales_channels(channel_id);



ALTER TABLE ONLY public.prices
    ADD CONSTRAINT fk_prices_audience_sub_category_id_audience_sub_categories FOREIGN KEY (audience_sub_category_id) REFERENCES public.audience_sub_categories(audience_sub_category_id);



ALTER TABLE ONLY public.prices
    ADD CONSTRAINT fk_prices_performance_id_performances FOREIGN KEY (performance_id) REFERENCES public.performances(performance_id);



ALTER TABLE ONLY public.prices
    ADD CONSTRAINT fk_prices_seat_category_id_seat_categories FOREIGN KEY (seat_category_id) REFERENCES public.seat_categories(seat_category_id);



ALTER TABLE ONLY public.seats
    ADD CONSTRAINT fk_seats_area_id_areas FOREIGN KEY (area_id) REFERENCES public.areas(area_id);



ALTER TABLE ONLY public.seats
    ADD CONSTRAINT fk_seats_block_id_blocks FOREIGN KEY (block_id) REFERENCES public.blocks(block_id);



ALTER TABLE ONLY public.seats
    ADD CONSTRAINT fk_seats_seat_category_id_seat_categories FOREIGN KEY (seat_category_id) REFERENCES public.seat_categories(seat_category_id);



ALTER TABLE ONLY public.seats
    ADD CONSTRAINT fk_seats_venue_id_venues FOREIGN KEY (venue_id) REFERENCES public.venues(venue_id);
