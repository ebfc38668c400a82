DROP TABLE import_rows;
DROP TABLE imports;
DROP TABLE account_filters;
