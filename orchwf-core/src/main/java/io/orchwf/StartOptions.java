package io.orchwf;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Options of one workflow start: metadata, an idempotency key and a deferred start time.
 *
 * <pre>{@code
 * StartOptions options = StartOptions.builder()
 *     .metadata(Map.of("business_id", "order-123"))
 *     .idempotencyKey("order-123")
 *     .startAt(Instant.now().plusSeconds(60))
 *     .build();
 * }</pre>
 */
public final class StartOptions {

	private static final StartOptions NONE = builder().build();

	private final Map<String, Object> metadata;

	private final @Nullable String idempotencyKey;

	private final @Nullable Instant startAt;

	private final @Nullable String concurrencyKey;

	private final int priority;

	private StartOptions(Builder builder) {
		this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(builder.metadata));
		this.idempotencyKey = builder.idempotencyKey;
		this.startAt = builder.startAt;
		this.concurrencyKey = builder.concurrencyKey;
		this.priority = builder.priority;
	}

	/**
	 * Start building options.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * No metadata, no idempotency key, start now.
	 * @return the empty options
	 */
	public static StartOptions none() {
		return NONE;
	}

	/**
	 * The instance's metadata; the keys {@code trace_id}, {@code correlation_id} and
	 * {@code business_id} become the instance's columns of the same names.
	 * @return a read-only map
	 */
	public Map<String, Object> metadata() {
		return this.metadata;
	}

	/**
	 * The idempotency key: a second start with the same key returns the existing
	 * instance.
	 * @return the key, or empty
	 */
	public Optional<String> idempotencyKey() {
		return Optional.ofNullable(this.idempotencyKey);
	}

	/**
	 * When the instance starts; until then it is {@link WorkflowStatus#PENDING}.
	 * @return the start time, or empty to start at once
	 */
	public Optional<Instant> startAt() {
		return Optional.ofNullable(this.startAt);
	}

	/**
	 * The key the workflow's {@link WorkflowDefinition#maxConcurrencyPerKey() per-key
	 * limit} counts the instance under, such as a customer's id.
	 * @return the key, or empty for none
	 */
	public Optional<String> concurrencyKey() {
		return Optional.ofNullable(this.concurrencyKey);
	}

	/**
	 * Where the instance stands among those waiting for a slot of their workflow's
	 * {@link WorkflowDefinition#maxConcurrency() limit}: higher first, then oldest.
	 * @return the priority; 0 unless set
	 */
	public int priority() {
		return this.priority;
	}

	@Override
	public String toString() {
		return "StartOptions[metadata=" + this.metadata + ", idempotencyKey=" + this.idempotencyKey + ", startAt="
				+ this.startAt + ", concurrencyKey=" + this.concurrencyKey + ", priority=" + this.priority + "]";
	}

	/**
	 * Builds {@link StartOptions}.
	 */
	public static final class Builder {

		private Map<String, Object> metadata = Map.of();

		private @Nullable String idempotencyKey;

		private @Nullable Instant startAt;

		private @Nullable String concurrencyKey;

		private int priority;

		private Builder() {
		}

		/**
		 * The instance's metadata (JSON-compatible values); replaces earlier metadata.
		 * @param metadata the metadata; {@code null} means none
		 * @return this builder
		 */
		public Builder metadata(@Nullable Map<String, ?> metadata) {
			this.metadata = (metadata != null) ? new LinkedHashMap<>(metadata) : Map.of();
			return this;
		}

		/**
		 * Make the start idempotent: a second start with the same key returns the
		 * existing instance, never a new one.
		 * @param idempotencyKey a non-blank key of at most
		 * {@value WorkflowDefinition#MAX_ID_LENGTH} characters, or {@code null} for none
		 * @return this builder
		 * @throws IllegalArgumentException if the key is blank, too long, or contains
		 * U+0000 or an unpaired surrogate
		 */
		public Builder idempotencyKey(@Nullable String idempotencyKey) {
			if (idempotencyKey != null && idempotencyKey.isBlank()) {
				throw new IllegalArgumentException("idempotencyKey must not be blank; pass null for none");
			}
			if (idempotencyKey != null && idempotencyKey.length() > WorkflowDefinition.MAX_ID_LENGTH) {
				throw new IllegalArgumentException(
						"idempotencyKey is " + idempotencyKey.length() + " characters long; keep it to "
								+ WorkflowDefinition.MAX_ID_LENGTH + " (a hash of a longer key " + "works)");
			}
			this.idempotencyKey = StorableText.require(idempotencyKey, "idempotencyKey");
			return this;
		}

		/**
		 * Defer the start; the instance stays {@link WorkflowStatus#PENDING} until then
		 * and any node may start it.
		 * @param startAt when to start, or {@code null} to start at once
		 * @return this builder
		 */
		public Builder startAt(@Nullable Instant startAt) {
			this.startAt = startAt;
			return this;
		}

		/**
		 * Count the instance under a key for its workflow's per-key concurrency limit.
		 * @param concurrencyKey a non-blank key of at most
		 * {@value WorkflowDefinition#MAX_ID_LENGTH} characters, or {@code null} for none
		 * @return this builder
		 * @throws IllegalArgumentException if the key is blank, too long, or contains
		 * U+0000 or an unpaired surrogate
		 */
		public Builder concurrencyKey(@Nullable String concurrencyKey) {
			if (concurrencyKey != null && concurrencyKey.isBlank()) {
				throw new IllegalArgumentException("concurrencyKey must not be blank; pass null for none");
			}
			if (concurrencyKey != null && concurrencyKey.length() > WorkflowDefinition.MAX_ID_LENGTH) {
				throw new IllegalArgumentException("concurrencyKey is " + concurrencyKey.length()
						+ " characters long; keep it to " + WorkflowDefinition.MAX_ID_LENGTH);
			}
			this.concurrencyKey = StorableText.require(concurrencyKey, "concurrencyKey");
			return this;
		}

		/**
		 * The instance's priority among those waiting for a slot of their workflow's
		 * concurrency limit: higher first, then oldest.
		 * @param priority any number; default 0
		 * @return this builder
		 */
		public Builder priority(int priority) {
			this.priority = priority;
			return this;
		}

		/**
		 * Build the options.
		 * @return the options
		 */
		public StartOptions build() {
			return new StartOptions(this);
		}

	}

}
