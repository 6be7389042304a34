-- The demo's sample source database: a few related tables of common types, one big enough
-- to be split into ranges by the dump, a sequence, a view, an enum, a comment.
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');

CREATE TABLE customers (
    id         bigserial PRIMARY KEY,
    email      text NOT NULL UNIQUE,
    name       text NOT NULL,
    country    char(2),
    created_at timestamptz NOT NULL DEFAULT now(),
    profile    jsonb
);
COMMENT ON TABLE customers IS 'People who buy things';

CREATE TABLE products (
    id      serial PRIMARY KEY,
    sku     varchar(32) NOT NULL UNIQUE,
    title   text NOT NULL,
    price   numeric(12,2) NOT NULL,
    tags    text[],
    picture bytea
);

CREATE TABLE orders (
    id          bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers(id),
    status      order_status NOT NULL DEFAULT 'new',
    placed_at   timestamptz NOT NULL,
    total       numeric(14,2) NOT NULL,
    token       uuid NOT NULL DEFAULT gen_random_uuid()
);
CREATE INDEX orders_customer ON orders(customer_id);

CREATE TABLE order_lines (
    order_id   bigint NOT NULL REFERENCES orders(id),
    line_no    int NOT NULL,
    product_id int NOT NULL REFERENCES products(id),
    quantity   int NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, line_no)
);

-- No primary key: copied, reported, kept out of the publication.
CREATE TABLE page_views (viewed_at timestamptz, path text, referrer text);

CREATE VIEW order_totals AS
    SELECT c.id, c.name, count(o.id) AS orders, coalesce(sum(o.total), 0) AS spent
    FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name;

INSERT INTO customers (email, name, country, profile)
SELECT 'user' || i || '@example.com', 'Customer ' || i, (ARRAY['DE','FR','US','JP'])[1 + i % 4],
       jsonb_build_object('newsletter', i % 2 = 0, 'score', i % 100)
FROM generate_series(1, 20000) i;

INSERT INTO products (sku, title, price, tags, picture)
SELECT 'SKU-' || i, 'Product ' || i, (i % 500) + 0.99, ARRAY['tag' || (i % 7), 'tag' || (i % 11)],
       decode(md5(i::text), 'hex')
FROM generate_series(1, 2000) i;

INSERT INTO orders (customer_id, status, placed_at, total)
SELECT 1 + (i * 7919) % 20000, (ARRAY['new','paid','shipped','cancelled']::order_status[])[1 + i % 4],
       now() - (i || ' minutes')::interval, (i % 1000) + 0.5
FROM generate_series(1, 200000) i;

INSERT INTO order_lines (order_id, line_no, product_id, quantity)
SELECT o, l, 1 + (o * l) % 2000, 1 + (o + l) % 5
FROM generate_series(1, 200000) o, generate_series(1, 3) l;

INSERT INTO page_views SELECT now() - (i || ' seconds')::interval, '/p/' || (i % 300), NULL
FROM generate_series(1, 5000) i;

ANALYZE;
