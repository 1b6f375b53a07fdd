package io.orchwf.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Prints a benchmark's figures: a table, then one line per figure,
 * {@code RESULT <name> <value> <unit> ratio=<value vs reference>}, for scripts to pick
 * up.
 */
final class Report {

	private final String title;

	private final List<Figure> figures = new ArrayList<>();

	Report(String title) {
		this.title = title;
	}

	/**
	 * Add a figure.
	 * @param name the figure's name, dotted
	 * @param value its value
	 * @param unit its unit
	 * @param ratio the value against its reference, or {@code NaN} if it has none
	 * @param reference what the ratio compares with
	 */
	void add(String name, double value, String unit, double ratio, String reference) {
		this.figures.add(new Figure(name, value, unit, ratio, reference));
	}

	void print() {
		System.out.println();
		System.out.println("== " + this.title);
		System.out.printf(Locale.ROOT, "%-44s %14s %-14s %10s  %s%n", "figure", "value", "unit", "ratio", "against");
		for (Figure figure : this.figures) {
			System.out.printf(Locale.ROOT, "%-44s %14s %-14s %10s  %s%n", figure.name, format(figure.value),
					figure.unit, Double.isNaN(figure.ratio) ? "-" : format(figure.ratio), figure.reference);
		}
		for (Figure figure : this.figures) {
			System.out.printf(Locale.ROOT, "RESULT %s %s %s ratio=%s%n", figure.name, format(figure.value), figure.unit,
					Double.isNaN(figure.ratio) ? "n/a" : format(figure.ratio));
		}
	}

	private static String format(double value) {
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return String.format(Locale.ROOT, "%d", (long) value);
		}
		return String.format(Locale.ROOT, (Math.abs(value) >= 100) ? "%.1f" : "%.3f", value);
	}

	/**
	 * A percentile of sorted values, nearest rank.
	 * @param sorted the values in ascending order
	 * @param percentile 0 to 100
	 * @return the value
	 */
	static long percentile(long[] sorted, double percentile) {
		if (sorted.length == 0) {
			return 0;
		}
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	/**
	 * The values of several rounds as one sorted array.
	 * @param rounds the rounds' values
	 * @return all of them, sorted
	 */
	static long[] merged(long[][] rounds) {
		long[] all = Arrays.stream(rounds).flatMapToLong(Arrays::stream).toArray();
		Arrays.sort(all);
		return all;
	}

	static long[] sorted(long[] values, int count) {
		long[] copy = Arrays.copyOf(values, count);
		Arrays.sort(copy);
		return copy;
	}

	private record Figure(String name, double value, String unit, double ratio, String reference) {
	}

}
