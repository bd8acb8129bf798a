package io.leadgraph.scoring;

import java.util.function.BiPredicate;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.Lead;
import io.leadgraph.scoring.Facts.LeadFacts;
import io.leadgraph.scoring.PolicyDocument.Condition;
import io.leadgraph.support.InputProblems;

/**
 * Conditions of routing rules: the fields, operators, validation and evaluation of scoring's fit
 * rules, so a marketer writes one condition language, plus {@code trigger.type},
 * {@code trigger.channel} and {@code trigger.campaign.id}: the touchpoint that made the lead MQL.
 */
public final class LeadConditions {

	private LeadConditions() {
	}

	/**
	 * The touchpoint that made a lead MQL, as routing conditions read it; all null when a person moved
	 * the lead.
	 */
	public record Trigger(@Nullable String type, @Nullable String channel, @Nullable String campaignId) {

		public static final Trigger NONE = new Trigger(null, null, null);
	}

	/** The condition normalised (enum values, numbers); every problem is added to {@code problems}. */
	public static Condition check(@Nullable Condition condition, String at, InputProblems problems) {
		return PolicyValidation.routingCondition(condition, at, problems);
	}

	/** A predicate for a condition {@link #check} accepted. */
	public static BiPredicate<Lead, Trigger> compile(Condition condition) {
		var predicate = Conditions.compile(condition);
		return (lead, trigger) -> predicate.test(new RoutingFacts(LeadFacts.of(lead), trigger));
	}

	private record RoutingFacts(LeadFacts lead, Trigger trigger) implements Facts {

		@Override
		public @Nullable Object value(String path) {
			return switch (path) {
				case "trigger.type" -> trigger.type();
				case "trigger.channel" -> trigger.channel();
				case "trigger.campaign.id" -> trigger.campaignId();
				default -> lead.value(path);
			};
		}
	}
}
