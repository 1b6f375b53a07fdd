CREATE TABLE shop_orders (
    id     VARCHAR(64) PRIMARY KEY,
    status VARCHAR(32) NOT NULL
);
