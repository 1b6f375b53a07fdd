package io.orchwf.sample.shop;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The defaults of {@link ShopProperties}, and the settings it refuses at start-up.
 */
class ShopPropertiesTests {

	@Test
	void defaults() {
		ShopProperties properties = new ShopProperties(null, null, null);
		assertThat(properties.approvalTimeout()).isEqualTo(Duration.ofHours(24));
		assertThat(properties.maxRequestSize()).isEqualTo(DataSize.ofKilobytes(64))
			.isEqualTo(ShopProperties.DEFAULT_MAX_REQUEST_SIZE);
		assertThat(properties.simulation().outOfStockSkus()).isEmpty();
	}

	@Test
	void aMaxRequestSizeThatIsNotPositiveFailsNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ShopProperties(null, DataSize.ofBytes(0), null))
			.withMessageContaining("shop.max-request-size");
	}

}
