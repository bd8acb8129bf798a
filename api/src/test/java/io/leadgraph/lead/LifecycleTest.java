package io.leadgraph.lead;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.leadgraph.security.Caller;
import io.leadgraph.security.Role;

import static org.assertj.core.api.Assertions.assertThat;

class LifecycleTest {

	private static final Caller MARKETING = new Caller("m", Set.of(Role.MARKETING));

	private static final Caller SALES = new Caller("s", Set.of(Role.SALES));

	private static final Caller ADMIN = new Caller("a", Set.of(Role.ADMIN));

	private static final Caller PARTNER = new Caller("p", Set.of(Role.PARTNER));

	@ParameterizedTest
	@CsvSource({ "NEW,MQL,true", "NEW,DISQUALIFIED,true", "NEW,SQL,false", "NEW,CUSTOMER,false",
			"MQL,SQL,true", "MQL,RECYCLED,true", "MQL,NEW,false", "SQL,OPPORTUNITY,true", "SQL,MQL,false",
			"OPPORTUNITY,CUSTOMER,true", "OPPORTUNITY,RECYCLED,true", "CUSTOMER,RECYCLED,false",
			"CUSTOMER,DISQUALIFIED,false", "RECYCLED,MQL,true", "RECYCLED,SQL,false", "DISQUALIFIED,RECYCLED,true",
			"DISQUALIFIED,MQL,false" })
	void onlyTheLifecycleMovesExist(Stage from, Stage to, boolean exists) {
		assertThat(Lifecycle.exists(from, to)).isEqualTo(exists);
	}

	@Test
	void marketingOwnsTheEarlyMovesAndSalesTheLaterOnes() {
		assertThat(Lifecycle.allowed(MARKETING, Stage.NEW)).containsExactly(Stage.MQL, Stage.DISQUALIFIED);
		assertThat(Lifecycle.allowed(SALES, Stage.NEW)).isEmpty();
		assertThat(Lifecycle.allowed(MARKETING, Stage.MQL)).containsExactly(Stage.RECYCLED, Stage.DISQUALIFIED);
		assertThat(Lifecycle.allowed(SALES, Stage.MQL)).containsExactly(Stage.SQL, Stage.RECYCLED,
				Stage.DISQUALIFIED);
		assertThat(Lifecycle.allowed(MARKETING, Stage.SQL)).isEmpty();
		assertThat(Lifecycle.allowed(SALES, Stage.OPPORTUNITY)).containsExactly(Stage.CUSTOMER, Stage.RECYCLED,
				Stage.DISQUALIFIED);
		assertThat(Lifecycle.allowed(SALES, Stage.RECYCLED)).isEmpty();
		assertThat(Lifecycle.allowed(MARKETING, Stage.RECYCLED)).containsExactly(Stage.MQL, Stage.DISQUALIFIED);
	}

	@Test
	void adminMayMakeEveryMoveThatExistsAndPartnersNone() {
		for (Stage from : Stage.values()) {
			for (Stage to : Stage.values()) {
				assertThat(Lifecycle.permits(ADMIN, from, to)).isEqualTo(Lifecycle.exists(from, to));
				assertThat(Lifecycle.permits(PARTNER, from, to)).isFalse();
			}
		}
	}

	@Test
	void leavingTheFunnelNeedsAReason() {
		assertThat(Lifecycle.needsReason(Stage.RECYCLED)).isTrue();
		assertThat(Lifecycle.needsReason(Stage.DISQUALIFIED)).isTrue();
		assertThat(Lifecycle.needsReason(Stage.SQL)).isFalse();
	}
}
