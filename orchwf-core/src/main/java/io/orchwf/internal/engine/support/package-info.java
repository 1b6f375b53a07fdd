/**
 * Small helpers the engine's layers share: {@code Backoff} (doubling delays),
 * {@code CoalescedTask} (work many requests ask for and one run answers),
 * {@code DaemonThreads} (named daemon thread factories) and {@code Ids} (instance, trace,
 * correlation and node ids). Depends on none of the engine.
 */
@NullMarked
package io.orchwf.internal.engine.support;

import org.jspecify.annotations.NullMarked;
