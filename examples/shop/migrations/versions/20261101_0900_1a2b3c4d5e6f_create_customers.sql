-- create customers
--
-- Revision ID: 1a2b3c4d5e6f
-- Revises:
-- Create Date: 2026-11-01 09:00:00+00:00
-- Branch Labels: schema

-- aludel:upgrade
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE
);

-- aludel:downgrade
DROP TABLE customers;
