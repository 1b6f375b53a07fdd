-- The shop's own tables, beside orchwf's (which come with their own history table).
CREATE TABLE orders (
    id                   VARCHAR(36)              NOT NULL,
    customer_id          VARCHAR(255)             NOT NULL,
    email                VARCHAR(255)             NOT NULL,
    payment_method       VARCHAR(32)              NOT NULL,
    status               VARCHAR(16)              NOT NULL,
    workflow_instance_id VARCHAR(36),
    approved_by          VARCHAR(255),
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    version              BIGINT                   NOT NULL,
    CONSTRAINT orders_pk PRIMARY KEY (id)
);

CREATE TABLE order_lines (
    order_id   VARCHAR(36)    NOT NULL,
    position   INTEGER        NOT NULL,
    sku        VARCHAR(255)   NOT NULL,
    quantity   INTEGER        NOT NULL,
    unit_price NUMERIC(12, 2) NOT NULL,
    CONSTRAINT order_lines_pk PRIMARY KEY (order_id, position),
    CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
);
