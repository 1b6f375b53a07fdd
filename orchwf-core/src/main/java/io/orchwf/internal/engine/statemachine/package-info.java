/**
 * The state machine of one instance. {@code RunDecisions} takes an input and the current
 * states ({@code StepBook} of {@code StepState}s, {@code RunState}, {@code SignalBox})
 * and decides the next {@code Transition}: the rows and events to write, and the
 * {@code FollowUp}s to carry out once it commits. It delegates by concern:
 * {@code Scheduler} (what may start), {@code StepFailures} (retry, fail, fail fast),
 * {@code WaitingSteps} (signals, timers, child steps), {@code ForEachSteps} with
 * {@code ForEachProgress} (elements), {@code Compensation} (compensators in reverse
 * order) and {@code Settlement} (complete, fail, park, hand back). Every class here
 * decides from what it is given, and returns its outcome instead of calling back: no
 * threads, no I/O, and the time is an argument, so each decision can be tested alone.
 * Depends only on {@code attempt} (the attempts it decides on) and {@code support}.
 */
@NullMarked
package io.orchwf.internal.engine.statemachine;

import org.jspecify.annotations.NullMarked;
