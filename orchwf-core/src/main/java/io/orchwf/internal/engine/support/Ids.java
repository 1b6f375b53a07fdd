package io.orchwf.internal.engine.support;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates identifiers: time-ordered instance ids (UUID version 7, so that new rows land
 * at the end of a B-tree index), W3C-style trace ids, correlation ids, and the default
 * node id.
 *
 * <p>
 * Instance ids take their random bits from a {@link SecureRandom}: they name instances in
 * URLs and signals, so they must not be guessable. Trace and correlation ids only need to
 * be unique, and come from {@link ThreadLocalRandom}, as tracing libraries make theirs,
 * without the contended lock of a shared secure generator.
 */
public final class Ids {

	private static final SecureRandom RANDOM = new SecureRandom();

	private Ids() {
	}

	/**
	 * A new instance id: a UUIDv7 whose first 48 bits are a Unix time in milliseconds.
	 * @param now the time of the engine's clock
	 * @return the id
	 */
	public static String instanceId(Instant now) {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		long millis = now.toEpochMilli();
		for (int i = 0; i < 6; i++) {
			bytes[i] = (byte) (millis >>> (40 - 8 * i));
		}
		bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x70);
		bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
		long high = 0;
		long low = 0;
		for (int i = 0; i < 8; i++) {
			high = (high << 8) | (bytes[i] & 0xff);
			low = (low << 8) | (bytes[i + 8] & 0xff);
		}
		return new UUID(high, low).toString();
	}

	/**
	 * A new trace id: 32 lowercase hex characters, as W3C Trace Context uses.
	 * @return the id
	 */
	public static String traceId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high;
		long low;
		do {
			high = random.nextLong();
			low = random.nextLong();
		}
		// all zeros is the invalid trace id
		while (high == 0 && low == 0);
		return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
	}

	/**
	 * A new correlation id.
	 * @return a random UUID
	 */
	public static String correlationId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		// a version 4 (random) UUID
		long high = (random.nextLong() & ~0xf000L) | 0x4000L;
		long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

	/**
	 * This process's default node id: host name and process id.
	 * @return the node id
	 */
	public static String defaultNodeId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "node";
		}
		String pid;
		try {
			pid = Long.toString(ProcessHandle.current().pid());
		}
		catch (UnsupportedOperationException ex) {
			pid = ManagementFactory.getRuntimeMXBean().getName();
		}
		return host + "-" + pid;
	}

}
