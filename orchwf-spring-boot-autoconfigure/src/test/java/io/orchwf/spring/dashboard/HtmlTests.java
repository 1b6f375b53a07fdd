package io.orchwf.spring.dashboard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Html}, the one way the dashboard writes markup.
 */
class HtmlTests {

	@Test
	void escapesTheCharactersThatEndTextOrAnAttributeValue() {
		assertThat(Html.escape("<script>alert('x') & \"y\"</script>"))
			.isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
		assertThat(Html.escape("a\u0000b")).isEqualTo("a\uFFFDb");
		assertThat(Html.escape(null)).isEmpty();
		assertThat(Html.escape("plain text, ünïcødé")).isEqualTo("plain text, ünïcødé");
	}

	@Test
	void escapesElementTextAndAttributeValues() {
		String html = new Html().element("a", "<b>bold</b>", "href", "/x?a=1&b=\"2\"", "title", "' onmouseover='x")
			.toString();
		assertThat(html).isEqualTo("<a href=\"/x?a=1&amp;b=&quot;2&quot;\" title=\"&#39; onmouseover=&#39;x\">"
				+ "&lt;b&gt;bold&lt;/b&gt;</a>");
	}

	@Test
	void leavesOutAttributesWithoutValueAndWritesEmptyOnesBare() {
		assertThat(new Html().empty("input", "type", "checkbox", "checked", "", "value", null).toString())
			.isEqualTo("<input type=\"checkbox\" checked>");
		assertThat(new Html().empty("rect", "width", 10.25, "height", 3.0).toString())
			.isEqualTo("<rect width=\"10.3\" height=\"3\"/>");
	}

	@Test
	void refusesANameThatIsNoPlainName() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Html().open("a onclick=x"));
		assertThatIllegalArgumentException().isThrownBy(() -> new Html().open("a", "href=\"x\" onclick", "y"));
		assertThatIllegalArgumentException().isThrownBy(() -> new Html().open("a", "href"));
	}

}
