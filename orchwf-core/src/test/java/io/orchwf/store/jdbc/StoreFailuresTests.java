package io.orchwf.store.jdbc;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import io.orchwf.store.StoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StoreFailuresTests {

	@Test
	void outagesDeadlocksAndSerializationFailuresMayPass() {
		for (String state : new String[] { "08006", "08001", "40001", "40P01", "53300", "57P01", "55P03", "HYT00",
				"90067" }) {
			assertThat(StoreFailures.isTransient(new SQLException("x", state))).as(state).isTrue();
		}
		assertThat(StoreFailures.isTransient(new SQLTransientConnectionException("pool timed out"))).isTrue();
		assertThat(StoreFailures.isTransient(new SQLException("no state"))).isTrue();
	}

	@Test
	void refusalsOfTheStatementItselfDoNot() {
		for (String state : new String[] { "23505", "22001", "22021", "22P05", "42P01", "42703" }) {
			assertThat(StoreFailures.isTransient(new SQLException("x", state))).as(state).isFalse();
		}
	}

	@Test
	void aBatchFailureIsReportedByTheDatabasesErrorNotTheStatementWithItsValues() {
		BatchUpdateException batch = new BatchUpdateException(
				"Batch entry 0 UPDATE orchwf_steps SET error = 'secret' was aborted", "22021", new int[0]);
		batch.setNextException(new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
		StoreException translated = StoreFailures.translate("store 1 transitions", batch);
		assertThat(translated.getMessage()).isEqualTo(
				"Could not store 1 transitions: ERROR: invalid byte sequence for encoding \"UTF8\": 0x00 (SQL state 22021)");
		assertThat(translated.isTransient()).isFalse();
		assertThat(translated.getCause()).isSameAs(batch);
	}

}
