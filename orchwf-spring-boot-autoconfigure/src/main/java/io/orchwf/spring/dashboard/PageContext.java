package io.orchwf.spring.dashboard;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What every page of one request needs besides its own data: the links, the CSRF field
 * for its forms, the message an action left for it, this node's id, whether actions are
 * offered, and the time the page is rendered at.
 *
 * @param links the dashboard's URLs
 * @param csrf the CSRF field, or {@code null} without Spring Security
 * @param flash the message left by the action that redirected here, or {@code null}
 * @param nodeId this node's id
 * @param actionsEnabled whether the pages offer actions
 * @param now the time of rendering
 */
record PageContext(Links links, @Nullable CsrfField csrf, @Nullable Flash flash, String nodeId, boolean actionsEnabled,
		Instant now) {
}
