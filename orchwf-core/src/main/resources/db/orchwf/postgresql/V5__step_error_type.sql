-- orchwf schema, version 5, for PostgreSQL.
--
-- A step keeps the type of its last failure beside its message: timeout, a
-- StepException's type, or the simple class name of what the step threw, the type retry
-- policies match. It is set and cleared with error, and survives a restart, so that the
-- endpoint and a step's StepInstance.errorType() show it on any node. A step change in
-- orchwf_history holds it as errorType (absent when null), beside error; a change in a
-- step's row fills this column. Rows and history of earlier versions have none: their
-- steps read without a type. Adding a nullable column without a default rewrites no row.
ALTER TABLE orchwf_steps ADD COLUMN error_type TEXT;
