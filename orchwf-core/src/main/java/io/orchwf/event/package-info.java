/**
 * Workflow events: what listeners receive and what the history holds.
 */
@NullMarked
package io.orchwf.event;

import org.jspecify.annotations.NullMarked;
