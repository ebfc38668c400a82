-- The reference stays: it came with 000005 here, and its down.sql removes it with the column.
SELECT 1;
