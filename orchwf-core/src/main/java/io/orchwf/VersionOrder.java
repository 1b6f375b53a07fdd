package io.orchwf;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * Orders workflow versions: segments split on dots, dashes and underscores are compared
 * in turn, numerically where both are numbers, else as text; a version that runs out of
 * segments first is lower ({@code 1.2 < 1.2.1 < 1.10}). See
 * {@link WorkflowDefinition#versionOrder()}.
 */
final class VersionOrder implements Comparator<String> {

	static final VersionOrder INSTANCE = new VersionOrder();

	private VersionOrder() {
	}

	@Override
	public int compare(String left, String right) {
		String[] a = left.split("[.\\-_]");
		String[] b = right.split("[.\\-_]");
		for (int i = 0; i < Math.min(a.length, b.length); i++) {
			int result = compareSegment(a[i], b[i]);
			if (result != 0) {
				return result;
			}
		}
		int result = Integer.compare(a.length, b.length);
		return (result != 0) ? result : left.compareTo(right);
	}

	private static int compareSegment(String a, String b) {
		boolean aNumeric = isNumeric(a);
		boolean bNumeric = isNumeric(b);
		if (aNumeric && bNumeric) {
			return new BigInteger(a).compareTo(new BigInteger(b));
		}
		if (aNumeric != bNumeric) {
			return aNumeric ? 1 : -1;
		}
		return a.compareTo(b);
	}

	private static boolean isNumeric(String segment) {
		return !segment.isEmpty() && segment.chars().allMatch(Character::isDigit);
	}

}
