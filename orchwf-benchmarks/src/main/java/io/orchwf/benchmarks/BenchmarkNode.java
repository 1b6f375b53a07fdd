package io.orchwf.benchmarks;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.orchwf.Orchestrator;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * One orchwf node of {@link TwoNodes}, in a JVM of its own: an orchestrator on the
 * benchmark's database with the {@link NodeWorkflows} registered, its poll and heartbeat
 * intervals at their defaults, driven by commands on standard input, one a line. Each
 * command is answered on standard output by lines {@code @ <kind> <values...>}, then
 * {@code @ ok}, or {@code @ error <message>}; logs go to standard error. Times are
 * microseconds since the epoch of the wall clock.
 *
 * <ul>
 * <li>{@code burn <workflows> <clients> <timeout s>}: start that many burn-down workflows
 * from that many client threads and wait for them to complete here; answers
 * {@code burned <first start> <last completion>}.</li>
 * <li>{@code executions}: {@code executions <n>}, the burn-down steps this node ran since
 * last asked.</li>
 * <li>{@code park <workflows> <clients> [<workflow>]}: start approval workflows (or those
 * of the given workflow); answers {@code id <id>} for each.</li>
 * <li>{@code signal <clients> <pause ms>}, then instance ids one a line, then
 * {@code end}: send each one {@code approve}; answers {@code sent <id> <time>}, the time
 * just before the call.</li>
 * <li>{@code completions}: {@code completed <id> <time>} for each approval workflow
 * completed here since last asked.</li>
 * <li>{@code start <workflow> <count> <pause ms>}: start one after the other; answers
 * {@code started <id> <time>}, the time just before the call.</li>
 * <li>{@code firststeps}: {@code first <id> <time>} for each short workflow whose step
 * started here since last asked.</li>
 * <li>{@code hold}: start a long workflow and wait until its step runs (here, or on
 * another node); {@code release} lets it end.</li>
 * <li>{@code quit}: close the orchestrator and exit; so does the end of the input.</li>
 * </ul>
 *
 * <p>
 * Arguments: the database's JDBC URL, its user, this node's id, steps per burn-down
 * workflow, {@code maxActiveInstances}, connections. The password comes from
 * {@code ORCHWF_BENCH_JDBC_PASSWORD}.
 */
public final class BenchmarkNode {

	private final PrintStream out;

	private final BufferedReader in;

	private final Orchestrator orchestrator;

	private final NodeWorkflows workflows;

	private BenchmarkNode(PrintStream out, BufferedReader in, Orchestrator orchestrator, NodeWorkflows workflows) {
		this.out = out;
		this.in = in;
		this.orchestrator = orchestrator;
		this.workflows = workflows;
	}

	public static void main(String[] args) throws Exception {
		// standard output carries the protocol alone
		PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
		System.setOut(System.err);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(args[0]);
		config.setUsername(args[1]);
		String password = System.getenv("ORCHWF_BENCH_JDBC_PASSWORD");
		config.setPassword((password != null) ? password : "");
		config.setMaximumPoolSize(Integer.parseInt(args[5]));
		config.setMinimumIdle(Integer.parseInt(args[5]));
		config.setPoolName("bench-" + args[2]);
		NodeWorkflows workflows = new NodeWorkflows();
		try (HikariDataSource dataSource = new HikariDataSource(config);
				Orchestrator orchestrator = Orchestrator.builder(JdbcStateStore.builder(dataSource).build())
					.nodeId(args[2])
					.maxActiveInstances(Integer.parseInt(args[4]))
					.listener(workflows::onEvent)
					.autoStart(false)
					.build()) {
			workflows.register(orchestrator, Integer.parseInt(args[3]));
			orchestrator.launch();
			out.println("@ ready " + orchestrator.nodeId());
			new BenchmarkNode(out, in, orchestrator, workflows).serve();
			// a long step still held would keep the orchestrator's close waiting
			workflows.hold.get().released.countDown();
		}
		System.exit(0);
	}

	private void serve() throws Exception {
		for (String line = this.in.readLine(); line != null; line = this.in.readLine()) {
			String[] command = line.trim().split("\\s+");
			if (command[0].equals("quit")) {
				return;
			}
			try {
				for (String answer : answer(command)) {
					this.out.println("@ " + answer);
				}
				this.out.println("@ ok");
			}
			catch (Exception ex) {
				this.out.println("@ error " + String.valueOf(ex).replace('\n', ' '));
			}
		}
	}

	private List<String> answer(String[] command) throws Exception {
		List<String> answers = new ArrayList<>();
		switch (command[0]) {
			case "burn" -> answers.add(burn(number(command, 1), number(command, 2), number(command, 3)));
			case "executions" -> answers.add("executions " + this.workflows.executions.sumThenReset());
			case "park" -> {
				String[] ids = new String[number(command, 1)];
				String workflow = (command.length > 3) ? command[3] : NodeWorkflows.APPROVAL;
				ClientThreads.run(number(command, 2), ids.length, (i) -> {
					ids[i] = this.orchestrator.startAsync(workflow, Map.of("n", i));
					return null;
				});
				for (String id : ids) {
					answers.add("id " + id);
				}
			}
			case "signal" -> signal(number(command, 1), number(command, 2), answers);
			case "completions" -> NodeWorkflows.drain(this.workflows.approvals)
				.forEach((completed) -> answers.add("completed " + completed[0] + " " + completed[1]));
			case "start" -> {
				for (int i = 0; i < number(command, 2); i++) {
					long at = NodeWorkflows.nowMicros();
					String id = this.orchestrator.startAsync(command[1], null);
					answers.add("started " + id + " " + at);
					Thread.sleep(number(command, 3));
				}
			}
			case "firststeps" -> NodeWorkflows.drain(this.workflows.firstSteps)
				.forEach((first) -> answers.add("first " + first[0] + " " + first[1]));
			case "hold" -> {
				NodeWorkflows.Hold hold = new NodeWorkflows.Hold();
				this.workflows.hold.set(hold);
				answers.add("id " + this.orchestrator.startAsync(NodeWorkflows.LONG, null));
				if (!hold.started.await(60, TimeUnit.SECONDS)) {
					throw new IllegalStateException("the long workflow's step did not start within 60 s");
				}
			}
			case "release" -> this.workflows.hold.get().released.countDown();
			default -> throw new IllegalArgumentException("unknown command " + String.join(" ", command));
		}
		return answers;
	}

	private String burn(int count, int clients, int timeoutSeconds) throws Exception {
		NodeWorkflows.Burn burn = new NodeWorkflows.Burn(count);
		this.workflows.burn.set(burn);
		long first = NodeWorkflows.nowMicros();
		ClientThreads.run(clients, count, (i) -> {
			this.orchestrator.startAsync(NodeWorkflows.BURN, null);
			return null;
		});
		if (!burn.done.await(timeoutSeconds, TimeUnit.SECONDS)) {
			throw new IllegalStateException(
					burn.done.getCount() + " of " + count + " burn-down workflows did not complete on "
							+ this.orchestrator.nodeId() + " within " + timeoutSeconds + " s");
		}
		return "burned " + first + " " + burn.lastMicros.get();
	}

	private void signal(int clients, int pauseMillis, List<String> answers) throws Exception {
		List<String> ids = new ArrayList<>();
		for (String line = this.in.readLine(); line != null && !line.equals("end"); line = this.in.readLine()) {
			ids.add(line.trim());
		}
		long[] sent = new long[ids.size()];
		ClientThreads.run(clients, ids.size(), (i) -> {
			sent[i] = NodeWorkflows.nowMicros();
			this.orchestrator.signal(ids.get(i), "approve", Map.of("by", this.orchestrator.nodeId()));
			if (pauseMillis > 0) {
				Thread.sleep(pauseMillis);
			}
			return null;
		});
		for (int i = 0; i < sent.length; i++) {
			answers.add("sent " + ids.get(i) + " " + sent[i]);
		}
	}

	private static int number(String[] command, int index) {
		return Integer.parseInt(command[index]);
	}

}
