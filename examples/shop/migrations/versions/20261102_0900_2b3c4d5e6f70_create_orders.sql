-- create orders
--
-- Revision ID: 2b3c4d5e6f70
-- Revises: 1a2b3c4d5e6f
-- Create Date: 2026-11-02 09:00:00+00:00

-- aludel:upgrade
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    total_cents INTEGER NOT NULL
);

-- aludel:downgrade
DROP TABLE orders;
