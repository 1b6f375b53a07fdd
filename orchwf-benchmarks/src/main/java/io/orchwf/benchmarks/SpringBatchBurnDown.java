package io.orchwf.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.configuration.annotation.EnableJdbcJobRepository;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Isolation;

/**
 * The burn-down of orchwf's throughput figure run by Spring Batch 6 on the same
 * PostgreSQL: job instances of {@code steps} sequential tasklet steps, each tasklet a
 * no-op returning {@link RepeatStatus#FINISHED}, {@code concurrency} jobs in flight at
 * once, measured from the first launch to the last completion with {@link Meter} (wall
 * time, commits of the benchmark's database, WAL, machine CPU).
 *
 * <p>
 * Spring Batch runs without Spring Boot: an {@link AnnotationConfigApplicationContext}
 * with {@link EnableBatchProcessing @EnableBatchProcessing} and
 * {@link EnableJdbcJobRepository @EnableJdbcJobRepository} (the {@code BATCH_} tables,
 * defaults but one) over the benchmark's own pool ({@code concurrency + 4} connections;
 * orchwf's burn-down gets {@code concurrency}), with a {@link JdbcTransactionManager} on
 * that pool for the repository and the steps. The tables come from the
 * {@code schema-postgresql.sql} shipped in spring-batch-core. The {@link JobOperator} the
 * annotation registers runs a job synchronously in the calling thread. The one setting
 * changed from the defaults: job executions are created at {@code READ_COMMITTED} rather
 * than {@code SERIALIZABLE}, since with 16 concurrent launches PostgreSQL's serializable
 * isolation aborts some of them ("could not serialize access due to read/write
 * dependencies among transactions" on the insert into {@code BATCH_JOB_INSTANCE});
 * lowering it is the remedy the Spring Batch maintainers give (spring-batch issue 1497),
 * and the unique key on {@code BATCH_JOB_INSTANCE} still rejects a duplicate instance.
 *
 * <p>
 * Concurrency: {@code concurrency} client threads each call
 * {@link JobOperator#start(Job, JobParameters)} for a new job instance (distinct
 * identifying parameters), which returns when the job has ended, then take the next, so
 * exactly {@code concurrency} jobs run at once, as orchwf's burn-down runs
 * {@code concurrency} at once on its workers. 50 jobs run first, unmeasured, to warm the
 * JIT, the pool and the database's caches. Every returned execution must be
 * {@code COMPLETED} with {@code steps} completed step executions, and the {@code BATCH_}
 * tables are counted to agree before the figures are reported.
 */
final class SpringBatchBurnDown {

	private static final int WARM_UP = 50;

	private SpringBatchBurnDown() {
	}

	/**
	 * Run the burn-down.
	 * @param workflows how many jobs to measure
	 * @param steps no-op tasklet steps in each
	 * @param concurrency jobs in flight at once
	 * @return what was measured
	 * @throws Exception if a job did not complete or the check failed
	 */
	static Throughput run(int workflows, int steps, int concurrency) throws Exception {
		try (BenchmarkDatabase database = BenchmarkDatabase.create("springbatch", concurrency + 4)) {
			new ResourceDatabasePopulator(new ClassPathResource("org/springframework/batch/core/schema-postgresql.sql"))
				.execute(database.dataSource());
			try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
				context.registerBean("dataSource", DataSource.class, database::dataSource);
				context.register(SpringBatchConfiguration.class);
				context.refresh();
				JobRepository repository = context.getBean(JobRepository.class);
				PlatformTransactionManager transactions = context.getBean(PlatformTransactionManager.class);
				JobOperator operator = context.getBean(JobOperator.class);
				Job job = job(repository, transactions, steps);
				burnDown(operator, job, "warm", WARM_UP, steps, concurrency);
				Meter meter = Meter.start(database);
				burnDown(operator, job, "burn", workflows, steps, concurrency);
				Throughput throughput = meter.stop("springbatch", workflows, (long) workflows * steps);
				verify(database, WARM_UP + workflows, steps);
				return throughput;
			}
		}
	}

	/** A job of {@code steps} sequential no-op tasklet steps. */
	private static Job job(JobRepository repository, PlatformTransactionManager transactions, int steps) {
		SimpleJobBuilder builder = new JobBuilder("burn", repository).start(step(repository, transactions, 0));
		for (int i = 1; i < steps; i++) {
			builder = builder.next(step(repository, transactions, i));
		}
		return builder.build();
	}

	private static Step step(JobRepository repository, PlatformTransactionManager transactions, int index) {
		return new StepBuilder("step-" + index, repository)
			.tasklet((contribution, chunkContext) -> RepeatStatus.FINISHED, transactions)
			.build();
	}

	/**
	 * Launch {@code count} job instances from {@code concurrency} client threads, each
	 * launching one job synchronously and checking it before the next.
	 */
	private static void burnDown(JobOperator operator, Job job, String run, int count, int steps, int concurrency)
			throws Exception {
		String wrong = ClientThreads.run(concurrency, count, (i) -> {
			JobParameters parameters = new JobParametersBuilder().addString("run", run)
				.addLong("n", (long) i)
				.toJobParameters();
			JobExecution execution = operator.start(job, parameters);
			long completedSteps = execution.getStepExecutions()
				.stream()
				.map(StepExecution::getStatus)
				.filter(BatchStatus.COMPLETED::equals)
				.count();
			return (execution.getStatus() != BatchStatus.COMPLETED || completedSteps != steps)
					? run + " " + i + " ended " + execution.getStatus() + " with " + completedSteps + " of " + steps
							+ " steps completed: " + execution.getAllFailureExceptions()
					: null;
		});
		if (wrong != null) {
			throw new IllegalStateException("Spring Batch job " + wrong);
		}
	}

	/**
	 * Check in the {@code BATCH_} tables that every job, warm-up included, completed with
	 * all its steps.
	 */
	private static void verify(BenchmarkDatabase database, int jobs, int steps) throws SQLException {
		try (Connection connection = database.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			Map<String, Long> statuses = new TreeMap<>();
			try (ResultSet rows = statement
				.executeQuery("SELECT status, count(*) FROM batch_job_execution GROUP BY status")) {
				while (rows.next()) {
					statuses.put(rows.getString(1), rows.getLong(2));
				}
			}
			if (statuses.size() != 1 || statuses.getOrDefault("COMPLETED", 0L) != jobs) {
				throw new IllegalStateException(
						"Spring Batch job statuses " + statuses + ", expected " + jobs + " COMPLETED");
			}
			try (ResultSet row = statement.executeQuery(
					"SELECT count(*), count(DISTINCT job_execution_id) FROM batch_step_execution WHERE status = 'COMPLETED'")) {
				row.next();
				if (row.getLong(1) != (long) jobs * steps || row.getLong(2) != jobs) {
					throw new IllegalStateException("Spring Batch completed " + row.getLong(1) + " steps of "
							+ row.getLong(2) + " jobs, expected " + (long) jobs * steps + " of " + jobs);
				}
			}
		}
	}

	/**
	 * Spring Batch's Java configuration: the JDBC job repository on the registered
	 * {@code dataSource} and a transaction manager on it.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableBatchProcessing
	@EnableJdbcJobRepository(isolationLevelForCreate = Isolation.READ_COMMITTED)
	static class SpringBatchConfiguration {

		@Bean
		JdbcTransactionManager transactionManager(DataSource dataSource) {
			return new JdbcTransactionManager(dataSource);
		}

	}

}
