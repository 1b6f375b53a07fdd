-- orchwf schema, version 4, for H2.
--
-- A step keeps the type of its last failure beside its message, as on PostgreSQL (see
-- its version 5): timeout, a StepException's type, or the simple class name of what the
-- step threw, the type retry policies match. It is set and cleared with error, and
-- survives a restart. A step change in orchwf_history holds it as errorType (absent when
-- null). Rows and history of earlier versions have none: their steps read without a type.
ALTER TABLE orchwf_steps ADD COLUMN error_type CHARACTER VARYING;
