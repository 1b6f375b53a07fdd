/**
 * This process as one node of the cluster: {@code NodeRuntime} owns the runs it drives
 * and the machinery around them (pools, timer, writer, listeners), and gives each run the
 * {@code RunHost} it needs. Around it, one class per job: {@code NodeLifecycle}
 * (launched, closed), {@code InstanceCreation} (a new instance and its first transition
 * in one write), {@code Claims} (taking due, orphaned or requested instances from the
 * store), {@code LeaseKeeper} (the heartbeat, lost leases, hand-backs),
 * {@code ChildStarts} and {@code ChildInstances} (the children of child steps),
 * {@code CompletionWaiters} (callers waiting for an end). Depends on {@code run} and the
 * layers below it; only the engine's facade depends on it.
 */
@NullMarked
package io.orchwf.internal.engine.node;

import org.jspecify.annotations.NullMarked;
