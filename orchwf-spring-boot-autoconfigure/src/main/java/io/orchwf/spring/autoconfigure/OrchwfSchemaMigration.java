package io.orchwf.spring.autoconfigure;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.InitializingBean;

/**
 * Creates or upgrades the orchwf tables with Flyway at startup, with the shipped scripts
 * and a history table of their own ({@value #HISTORY_TABLE}), so that an application's
 * own Flyway history is untouched and an application without Flyway still gets the
 * tables. An existing schema without that history table is baselined at version 0, so the
 * orchwf scripts apply beside the application's tables.
 */
public class OrchwfSchemaMigration implements InitializingBean {

	/** The Flyway history table of the orchwf schema. */
	public static final String HISTORY_TABLE = "orchwf_schema_history";

	private final DataSource dataSource;

	private final String location;

	/**
	 * Create the migration.
	 * @param dataSource the database
	 * @param location the Flyway location of the scripts for that database
	 */
	public OrchwfSchemaMigration(DataSource dataSource, String location) {
		this.dataSource = dataSource;
		this.location = location;
	}

	@Override
	public void afterPropertiesSet() {
		Flyway.configure()
			.dataSource(this.dataSource)
			.locations(this.location)
			.table(HISTORY_TABLE)
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.load()
			.migrate();
	}

}
