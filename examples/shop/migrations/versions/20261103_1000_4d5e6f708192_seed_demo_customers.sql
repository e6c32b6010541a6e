-- seed demo customers
--
-- Data for demo environments, on its own labelled branch.
--
-- Revision ID: 4d5e6f708192
-- Revises: 2b3c4d5e6f70
-- Create Date: 2026-11-03 10:00:00+00:00
-- Branch Labels: seed

-- aludel:upgrade
INSERT INTO customers (id, email) VALUES (1, 'ada@example.com'), (2, 'grace@example.com');

-- aludel:downgrade
DELETE FROM customers WHERE id IN (1, 2);
