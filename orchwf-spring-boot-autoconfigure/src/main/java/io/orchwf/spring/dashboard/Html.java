package io.orchwf.spring.dashboard;

import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Writes HTML (and the inline SVG inside it). Every value, whether element text or an
 * attribute value, goes through {@link #escape}; tag and attribute names are the code's
 * own constants and are checked to be plain names, so no value can open a tag, close an
 * attribute or start a script. The one way to write markup as is, {@link #trusted}, takes
 * the dashboard's own constant style sheet and script.
 */
final class Html {

	private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9:-]*");

	private final StringBuilder out = new StringBuilder(16 * 1024);

	/**
	 * Escape text for HTML element content and for quoted attribute values: the five
	 * characters that can end either are replaced by character references, and U+0000,
	 * which HTML parsers drop or replace, by U+FFFD.
	 * @param value the text, or {@code null} for none
	 * @return the escaped text; empty for {@code null}
	 */
	static String escape(@Nullable Object value) {
		if (value == null) {
			return "";
		}
		String text = value.toString();
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String replacement = switch (c) {
				case '&' -> "&amp;";
				case '<' -> "&lt;";
				case '>' -> "&gt;";
				case '"' -> "&quot;";
				case '\'' -> "&#39;";
				case '\u0000' -> "\uFFFD";
				default -> null;
			};
			if (replacement != null && escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (escaped != null) {
				if (replacement != null) {
					escaped.append(replacement);
				}
				else {
					escaped.append(c);
				}
			}
		}
		return (escaped != null) ? escaped.toString() : text;
	}

	/**
	 * Open an element.
	 * @param tag the element name
	 * @param attributes pairs of attribute name and value; a {@code null} value leaves
	 * the attribute out, an empty one writes it without a value (a boolean attribute)
	 * @return this writer
	 */
	Html open(String tag, @Nullable Object... attributes) {
		this.out.append('<').append(name(tag));
		attributes(attributes);
		this.out.append('>');
		return this;
	}

	/**
	 * Write an element without content, such as {@code <input>} or an SVG
	 * {@code <rect/>}.
	 * @param tag the element name
	 * @param attributes pairs of attribute name and value, as for {@link #open}
	 * @return this writer
	 */
	Html empty(String tag, @Nullable Object... attributes) {
		this.out.append('<').append(name(tag));
		attributes(attributes);
		this.out.append(isSvg(tag) ? "/>" : ">");
		return this;
	}

	/**
	 * Close an element.
	 * @param tag the element name
	 * @return this writer
	 */
	Html close(String tag) {
		this.out.append("</").append(name(tag)).append('>');
		return this;
	}

	/**
	 * Write an element holding text.
	 * @param tag the element name
	 * @param text its text, escaped
	 * @param attributes pairs of attribute name and value, as for {@link #open}
	 * @return this writer
	 */
	Html element(String tag, @Nullable Object text, @Nullable Object... attributes) {
		return open(tag, attributes).text(text).close(tag);
	}

	/**
	 * Write text, escaped.
	 * @param text the text; {@code null} writes nothing
	 * @return this writer
	 */
	Html text(@Nullable Object text) {
		this.out.append(escape(text));
		return this;
	}

	/**
	 * Write markup as is. Only for the dashboard's own constants (its style sheet, its
	 * script, the document type): never for a value.
	 * @param markup constant markup
	 * @return this writer
	 */
	Html trusted(String markup) {
		this.out.append(markup);
		return this;
	}

	@Override
	public String toString() {
		return this.out.toString();
	}

	private void attributes(@Nullable Object[] attributes) {
		if (attributes.length % 2 != 0) {
			throw new IllegalArgumentException("Attributes come in name and value pairs");
		}
		for (int i = 0; i < attributes.length; i += 2) {
			Object value = attributes[i + 1];
			if (value == null) {
				continue;
			}
			this.out.append(' ').append(name(String.valueOf(attributes[i])));
			String text = (value instanceof Double number) ? number(number) : value.toString();
			if (!text.isEmpty()) {
				this.out.append("=\"").append(escape(text)).append('"');
			}
		}
	}

	/**
	 * Write a coordinate or a length for SVG: at most one decimal, never an exponent nor
	 * a locale's decimal comma.
	 * @param value the number
	 * @return its text
	 */
	static String number(double value) {
		double rounded = Math.round(value * 10) / 10.0;
		if (rounded == Math.rint(rounded)) {
			return Long.toString((long) rounded);
		}
		return String.format(Locale.ROOT, "%.1f", rounded);
	}

	private static String name(String name) {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Not an element or attribute name: " + name);
		}
		return name;
	}

	private static boolean isSvg(String tag) {
		return switch (tag) {
			case "input", "meta", "link", "br", "hr", "img", "col", "wbr" -> false;
			default -> true;
		};
	}

}
