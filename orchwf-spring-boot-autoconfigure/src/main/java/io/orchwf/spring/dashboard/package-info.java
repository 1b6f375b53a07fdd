/**
 * The orchwf dashboard: server-rendered pages of a servlet web application that show the
 * registered workflows, their instances and each instance's steps, attempts and history,
 * and, when enabled, cancel, resume and signal instances. Everything shown is
 * HTML-escaped by {@link io.orchwf.spring.dashboard.Html}; the pages load nothing from
 * another host and read without JavaScript.
 */
@NullMarked
package io.orchwf.spring.dashboard;

import org.jspecify.annotations.NullMarked;
