package io.orchwf.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchmarkNode} in a child JVM, seen from the parent: launched with this JVM's
 * java binary and class path, asked commands one at a time, each with a deadline. Its
 * standard error, and any line of its standard output that is not an answer, go to this
 * JVM's standard error. Closing it ends the process, forcibly if it does not quit in
 * time; so does the end of this JVM.
 */
final class NodeProcess implements AutoCloseable {

	private static final String END = "\u0000end";

	private static final Duration READY = Duration.ofSeconds(60);

	/** Longer than an orchestrator's default shutdown timeout. */
	private static final Duration QUIT = Duration.ofSeconds(40);

	private final String name;

	private final Process process;

	private final Writer input;

	private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

	private final Thread killer;

	private NodeProcess(String name, Process process) {
		this.name = name;
		this.process = process;
		this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
		this.killer = new Thread(process::destroyForcibly, "kill-" + name);
		Runtime.getRuntime().addShutdownHook(this.killer);
		Thread reader = new Thread(this::read, "read-" + name);
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Launch a node and wait until it is ready.
	 * @param database the benchmark's database
	 * @param nodeId the node's id
	 * @param steps steps per burn-down workflow
	 * @param maxActiveInstances the node's {@code maxActiveInstances}
	 * @param connections the node's pool size
	 * @return the node
	 */
	static NodeProcess launch(BenchmarkDatabase database, String nodeId, int steps, int maxActiveInstances,
			int connections) throws IOException {
		String java = ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				BenchmarkNode.class.getName(), database.url(), database.user(), nodeId, Integer.toString(steps),
				Integer.toString(maxActiveInstances), Integer.toString(connections));
		builder.environment().put("ORCHWF_BENCH_JDBC_PASSWORD", database.password());
		builder.redirectError(ProcessBuilder.Redirect.INHERIT);
		NodeProcess node = new NodeProcess(nodeId, builder.start());
		try {
			node.await("launch", READY);
		}
		catch (RuntimeException ex) {
			node.close();
			throw ex;
		}
		return node;
	}

	String name() {
		return this.name;
	}

	/**
	 * Send a command and wait for its answers.
	 * @param command the command's line
	 * @param timeout how long it may take
	 * @return the values of each answer line, split at spaces
	 * @throws IllegalStateException if the node answers with an error, exits, or does not
	 * answer in time
	 */
	List<String[]> call(String command, Duration timeout) {
		return call(List.of(command), timeout);
	}

	/**
	 * Send a command of several lines and wait for its answers.
	 * @param lines the command's lines
	 * @param timeout how long it may take
	 * @return the values of each answer line, split at spaces
	 */
	List<String[]> call(List<String> lines, Duration timeout) {
		if (!this.process.isAlive()) {
			throw new IllegalStateException(exited(lines.get(0)));
		}
		try {
			for (String line : lines) {
				this.input.write(line);
				this.input.write('\n');
			}
			this.input.flush();
		}
		catch (IOException ex) {
			// its input closes when it exits
			throw new IllegalStateException(exited(lines.get(0)), ex);
		}
		return await(lines.get(0), timeout);
	}

	private List<String[]> await(String command, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<String[]> values = new ArrayList<>();
		while (true) {
			String answer;
			try {
				answer = this.answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while node " + this.name + " ran " + command, ex);
			}
			if (answer == null) {
				throw new IllegalStateException(
						"Node " + this.name + " did not answer '" + command + "' within " + timeout.toSeconds() + " s");
			}
			if (answer.equals(END)) {
				throw new IllegalStateException(exited(command));
			}
			if (answer.equals("ok") || answer.startsWith("ready ")) {
				return values;
			}
			if (answer.startsWith("error ")) {
				throw new IllegalStateException(
						"Node " + this.name + " failed '" + command + "': " + answer.substring(6));
			}
			values.add(answer.split(" "));
		}
	}

	private String exited(String command) {
		String code;
		try {
			code = this.process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(this.process.exitValue()) : "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			code = "unknown";
		}
		return "Node " + this.name + " exited (code " + code + ") before it answered '" + command + "'";
	}

	private void read() {
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				if (line.startsWith("@ ")) {
					this.answers.add(line.substring(2));
				}
				else {
					System.err.println("[" + this.name + "] " + line);
				}
			}
		}
		catch (IOException ex) {
			// the process ended
		}
		this.answers.add(END);
	}

	/**
	 * Ask the node to quit, and end its process if it has not within a while.
	 */
	@Override
	public void close() {
		try {
			if (this.process.isAlive()) {
				try {
					this.input.write("quit\n");
					this.input.close();
				}
				catch (IOException ex) {
					// it is going already
				}
				if (!this.process.waitFor(QUIT.toSeconds(), TimeUnit.SECONDS)) {
					System.err
						.println("Node " + this.name + " did not quit within " + QUIT.toSeconds() + " s; killing it");
					this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		finally {
			try {
				Runtime.getRuntime().removeShutdownHook(this.killer);
			}
			catch (IllegalStateException ex) {
				// this JVM is shutting down, and the hook runs
			}
		}
	}

}
