-- PostgreSQL's own file of this number (postgres/015_toast_tuple_target.sql) replaces this one there: it stores rows up
-- to a page long uncompressed. SQLite never compresses a row, so here the number is only taken, and nothing changes.
SELECT 1;
