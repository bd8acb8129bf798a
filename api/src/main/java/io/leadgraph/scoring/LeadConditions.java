package io.leadgraph.scoring;

import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.Lead;
import io.leadgraph.scoring.Facts.LeadFacts;
import io.leadgraph.scoring.PolicyDocument.Condition;
import io.leadgraph.support.InputProblems;

/**
 * Conditions on a lead's fields for other features (e.g. routing rules): the fields, operators,
 * validation and evaluation fit rules use, so a marketer writes one condition language.
 */
public final class LeadConditions {

	private LeadConditions() {
	}

	/** The condition normalised (enum values, numbers); every problem is added to {@code problems}. */
	public static Condition check(@Nullable Condition condition, String at, InputProblems problems) {
		return PolicyValidation.leadCondition(condition, at, problems);
	}

	/** A predicate for a condition {@link #check} accepted. */
	public static Predicate<Lead> compile(Condition condition) {
		Predicate<Facts> predicate = Conditions.compile(condition);
		return lead -> predicate.test(LeadFacts.of(lead));
	}
}
