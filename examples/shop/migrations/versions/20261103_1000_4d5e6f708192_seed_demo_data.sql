-- seed demo data
--
-- Customers and an order for demo environments: a line of its own (a root that
-- depends on the schema), applied by `upgrade heads` or `upgrade seed@head`, never
-- by `upgrade schema@head`.
--
-- Revision ID: 4d5e6f708192
-- Revises:
-- Create Date: 2026-11-03 10:00:00+00:00
-- Branch Labels: seed
-- Depends On: 3c4d5e6f7081

-- aludel:upgrade
INSERT INTO customers (id, email) VALUES (1, 'ada@example.com'), (2, 'grace@example.com');
INSERT INTO orders (id, customer_id, total_cents, status) VALUES (1, 1, 1250, 'paid');

-- aludel:downgrade
DELETE FROM orders WHERE id = 1;
DELETE FROM customers WHERE id IN (1, 2);
