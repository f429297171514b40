-- PostgreSQL compresses (pglz) any row past 2 kB before it stores it: a session with its request and response bodies
-- is about that long, and the compression took 15 % of the server's CPU under create-payment load. Rows up to the
-- largest that fits a page are now stored as they are; only longer ones are compressed or moved out of line.
ALTER TABLE checkout_sessions SET (toast_tuple_target = 8160);
ALTER TABLE notifications SET (toast_tuple_target = 8160);
