-- add order status
--
-- Revision ID: 3c4d5e6f7081
-- Revises: 2b3c4d5e6f70
-- Create Date: 2026-11-03 09:00:00+00:00

-- aludel:upgrade
ALTER TABLE orders ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'new';

-- aludel:downgrade
ALTER TABLE orders DROP COLUMN status;
