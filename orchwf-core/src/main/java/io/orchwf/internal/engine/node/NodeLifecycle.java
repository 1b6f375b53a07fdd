package io.orchwf.internal.engine.node;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Whether the node accepts work: not yet launched, launched, or closed for good. Work
 * that creates or activates runs holds the read lock while it does; closing takes the
 * write lock, so that no run is adopted after the drain began.
 */
public final class NodeLifecycle {

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

	private volatile boolean accepting;

	private volatile boolean closed;

	/**
	 * Start accepting work, once.
	 * @param onFirstLaunch run under the write lock the first time only
	 * @throws IllegalStateException if the node is closed
	 */
	void launch(Runnable onFirstLaunch) {
		this.lock.writeLock().lock();
		try {
			if (this.closed) {
				throw closedError();
			}
			if (!this.accepting) {
				this.accepting = true;
				onFirstLaunch.run();
			}
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/**
	 * Stop accepting work, for good; waits for the work that holds the read lock.
	 * @return {@code false} if the node was closed already
	 */
	boolean close() {
		this.lock.writeLock().lock();
		try {
			if (this.closed) {
				return false;
			}
			this.closed = true;
			this.accepting = false;
			return true;
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	boolean isAccepting() {
		return this.accepting;
	}

	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Fail unless the node accepts work.
	 * @throws IllegalStateException if the node is closed or not launched
	 */
	public void requireOpen() {
		if (this.closed) {
			throw closedError();
		}
		if (!this.accepting) {
			throw new IllegalStateException(
					"The orchestrator is not launched; call launch() once every workflow is registered");
		}
	}

	/**
	 * Run work that creates or activates runs, unless the node is closing.
	 * @param <T> the work's result
	 * @param work the work
	 * @return the work's result
	 * @throws IllegalStateException if the node is closed or not launched
	 */
	public <T> T whileOpen(Supplier<T> work) {
		this.lock.readLock().lock();
		try {
			requireOpen();
			return work.get();
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Run work that creates or activates runs if the node accepts work.
	 * @param <T> the work's result
	 * @param work the work
	 * @param otherwise the result when the node does not accept work
	 * @return the work's result, or {@code otherwise}
	 */
	<T> T ifAccepting(Supplier<T> work, T otherwise) {
		this.lock.readLock().lock();
		try {
			return this.accepting ? work.get() : otherwise;
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	private static IllegalStateException closedError() {
		return new IllegalStateException("The orchestrator is closed; build a new one");
	}

}
