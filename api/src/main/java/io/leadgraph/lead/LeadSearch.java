package io.leadgraph.lead;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.Locale;

import com.querydsl.core.BooleanBuilder;
import com.querydsl.core.types.Predicate;
import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.LeadInputs.LeadFilter;
import io.leadgraph.lead.LeadInputs.LeadOrder;
import io.leadgraph.lead.LeadInputs.LeadOrderField;
import io.leadgraph.lead.LeadInputs.SortDirection;
import io.leadgraph.support.InputProblems;
import io.leadgraph.support.InvalidInputException;

import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.graphql.data.query.ScrollSubrange;

/** Turns a {@link LeadFilter} into a Querydsl predicate and a {@link LeadOrder} into a sort. */
final class LeadSearch {

	static final int MAX_TEXT_WORDS = 5;

	private static final QLead lead = QLead.lead;

	private LeadSearch() {
	}

	static Predicate predicate(@Nullable LeadFilter filter) {
		var where = new BooleanBuilder();
		if (filter == null) {
			return where;
		}
		validate(filter);
		if (filter.stages() != null && !filter.stages().isEmpty()) {
			where.and(lead.stage.in(filter.stages()));
		}
		if (filter.sources() != null && !filter.sources().isEmpty()) {
			where.and(lead.source.in(filter.sources()));
		}
		if (filter.ownerIds() != null && !filter.ownerIds().isEmpty()) {
			where.and(lead.owner.id.in(filter.ownerIds()));
		}
		if (filter.domain() != null && !filter.domain().isBlank()) {
			where.and(lead.company.domain.eq(LeadInputRules.normaliseDomain(filter.domain())));
		}
		if (filter.country() != null && !filter.country().isBlank()) {
			where.and(lead.company.country.eq(LeadInputRules.normaliseCountry(filter.country())));
		}
		if (filter.createdAfter() != null) {
			where.and(lead.createdAt.goe(filter.createdAfter()));
		}
		if (filter.createdBefore() != null) {
			where.and(lead.createdAt.lt(filter.createdBefore()));
		}
		if (filter.text() != null) {
			for (String word : words(filter.text())) {
				where.and(lead.searchTerms.any().startsWith(word));
			}
		}
		return where;
	}

	static Sort sort(@Nullable LeadOrder order) {
		LeadOrder effective = order == null ? LeadOrder.NEWEST_FIRST : order;
		String property = effective.field() == LeadOrderField.UPDATED_AT ? "updatedAt" : "createdAt";
		Sort.Direction direction = effective.direction() == SortDirection.ASC ? Sort.Direction.ASC
				: Sort.Direction.DESC;
		return Sort.by(direction, property, "id");
	}

	/** A cursor of another list (or another sort) cannot position this one. */
	static void checkCursorFits(ScrollSubrange page, Sort sort) {
		if (page.position().orElse(null) instanceof KeysetScrollPosition keyset && !keyset.isInitial()) {
			Set<String> expected = new HashSet<>();
			sort.forEach(order -> expected.add(order.getProperty()));
			if (!keyset.getKeys().keySet().equals(expected)) {
				throw new InvalidInputException(page.forward() ? "after" : "before", "INVALID_CURSOR",
						"is not a cursor of this list in this order");
			}
		}
	}

	private static String[] words(String text) {
		return Arrays.stream(text.toLowerCase(Locale.ROOT).strip().split("\\s+"))
			.filter(word -> !word.isEmpty())
			.toArray(String[]::new);
	}

	private static void validate(LeadFilter filter) {
		var problems = new InputProblems();
		if (filter.text() != null) {
			problems.maxLength("filter.text", filter.text(), 200);
			if (words(filter.text()).length > MAX_TEXT_WORDS) {
				problems.add("filter.text", "TOO_MANY_WORDS", "at most " + MAX_TEXT_WORDS + " words");
			}
		}
		if (filter.createdAfter() != null && filter.createdBefore() != null
				&& !filter.createdAfter().isBefore(filter.createdBefore())) {
			problems.add("filter.createdBefore", "EMPTY_RANGE", "must be after createdAfter");
		}
		problems.throwIfAny();
	}
}
