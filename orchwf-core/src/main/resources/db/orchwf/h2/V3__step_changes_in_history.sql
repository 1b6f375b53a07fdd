-- orchwf schema, version 3, for H2.
--
-- A transition stores the steps it changes in its history row, as on PostgreSQL (see its
-- version 4): a step's current state is its last change in the history, taken from the
-- step's row if that change went there (a large output) or if there is none.
ALTER TABLE orchwf_history ADD COLUMN steps JSON;
