-- merge status and seed
--
-- Revision ID: 5e6f708192a3
-- Revises: 3c4d5e6f7081, 4d5e6f708192
-- Create Date: 2026-11-04 09:00:00+00:00

-- aludel:upgrade

-- aludel:downgrade
