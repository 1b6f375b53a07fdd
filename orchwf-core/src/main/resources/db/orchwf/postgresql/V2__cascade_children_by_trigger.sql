-- orchwf schema, version 2, for PostgreSQL.
--
-- Steps and events lose their foreign keys to the instance; a trigger keeps the cascade.
-- A foreign key costs a query per inserted row (an instance's step rows at its start, two
-- events for most steps), which was about an eighth of the database's work in a
-- burn-down of short steps. The store never needs that check: it writes steps and events
-- only in a transaction that holds their instance's row (the fence check locks it), so an
-- instance cannot be deleted under them. What the foreign keys also gave, deleting an
-- instance's steps and events with it (retention is a DELETE of old instances), the
-- trigger below does once per DELETE statement.
ALTER TABLE orchwf_steps DROP CONSTRAINT orchwf_steps_instance_fk;
ALTER TABLE orchwf_events DROP CONSTRAINT orchwf_events_instance_fk;

-- the children live beside the instances, in the schema of the table deleted from
CREATE FUNCTION orchwf_delete_instance_children() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DELETE FROM %I.orchwf_steps s USING deleted_instances d WHERE s.instance_id = d.id',
        TG_TABLE_SCHEMA);
    EXECUTE format('DELETE FROM %I.orchwf_events e USING deleted_instances d WHERE e.instance_id = d.id',
        TG_TABLE_SCHEMA);
    RETURN NULL;
END
$$;

CREATE TRIGGER orchwf_instances_delete_children
    AFTER DELETE ON orchwf_instances
    REFERENCING OLD TABLE AS deleted_instances
    FOR EACH STATEMENT EXECUTE FUNCTION orchwf_delete_instance_children();
