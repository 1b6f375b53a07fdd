/**
 * The engine behind {@link io.orchwf.Orchestrator}: {@code WorkflowEngine} checks each
 * call, answers reads from the store and hands everything that drives instances to the
 * node. Internal: every type here and below may change without notice.
 *
 * <p>
 * The sub-packages are layers; each depends only on those listed after it:
 * <ol>
 * <li>{@code node}: this process as one node of the cluster. It creates and claims
 * instances, keeps their leases, polls for due work, starts child instances, and shuts
 * down;</li>
 * <li>{@code run}: one instance driven on this node. {@code InstanceRun} feeds each input
 * to the state machine under its lock, commits the transition it decides, then carries
 * out its follow-ups;</li>
 * <li>{@code statemachine}: the decisions of one instance, from its steps' states and an
 * input to the next transition, without threads, I/O or a clock of its own;</li>
 * <li>{@code attempt}: one try of a step's code, its context, its timeout and how it
 * failed;</li>
 * <li>{@code write}: how transitions reach the store, one at a time or grouped into
 * shared commits;</li>
 * <li>{@code pool}: the threads attempts run on: a bounded worker pool by priority, and a
 * lane per instance for work that must not overlap;</li>
 * <li>{@code support}: backoff, thread naming and identifiers, shared by the others.</li>
 * </ol>
 * Beside them, {@code io.orchwf.internal.plan} holds registered workflows compiled for
 * the engine and {@code io.orchwf.internal.json} the JSON values instances carry; neither
 * depends on the engine.
 */
@NullMarked
package io.orchwf.internal.engine;

import org.jspecify.annotations.NullMarked;
