/**
 * The JSON values workflows carry (inputs, outputs, metadata, signal payloads): immutable
 * {@code JsonObject} and {@code JsonArray}, {@code JsonValues} to normalize and convert
 * Java values, {@code JsonCodec} to write them as JSON text and read them back for stores
 * with JSON columns, and {@code TextFlaw} to refuse text no store can keep. Depends on
 * nothing else of orchwf's internals.
 */
@NullMarked
package io.orchwf.internal.json;

import org.jspecify.annotations.NullMarked;
