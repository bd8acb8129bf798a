package io.leadgraph.handoff;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.leadgraph.handoff.HandoffInputs.OutOfOfficeInput;
import io.leadgraph.handoff.HandoffInputs.RejectHandoffInput;
import io.leadgraph.handoff.HandoffInputs.SaveRoutingRuleInput;
import io.leadgraph.handoff.HandoffInputs.SaveSalesRepInput;
import io.leadgraph.handoff.HandoffInputs.TerritoriesInput;
import io.leadgraph.handoff.HandoffInputs.WorkingHoursInput;
import io.leadgraph.handoff.SalesRep.OutOfOffice;
import io.leadgraph.handoff.SalesRep.Territories;
import io.leadgraph.handoff.SalesRep.WorkingHours;
import io.leadgraph.handoff.SalesRep.WorkingPeriod;
import io.leadgraph.scoring.LeadConditions;
import io.leadgraph.scoring.PolicyDocument.Condition;
import io.leadgraph.support.InputProblems;

/**
 * Validates and normalises the handoff's inputs; every problem is reported with its field path and
 * a code, and nothing is written while any remains.
 */
final class HandoffInputRules {

	static final int MAX_POOL = 100;

	private static final int MAX_ABSENCES = 100;

	private static final int MAX_NOTE = 2000;

	private static final Pattern RULE_ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");

	private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

	private static final Pattern CLOCK = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]|24:00");

	private static final Duration SHORTEST_WINDOW = Duration.ofMinutes(1);

	private static final Duration LONGEST_WINDOW = Duration.ofDays(30);

	private HandoffInputRules() {
	}

	/** A rep as input describes it (without the counters the store keeps). */
	record RepFields(String id, String name, String email, @Nullable String team, Territories territories,
			int weight, @Nullable Integer capacity, @Nullable WorkingHours workingHours, List<OutOfOffice> outOfOffice,
			boolean active) {
	}

	static RepFields rep(SaveSalesRepInput input) {
		var problems = new InputProblems();
		String id = required(problems, "input.id", input.id(), 200);
		String name = required(problems, "input.name", input.name(), 200);
		String email = required(problems, "input.email", input.email(), 254).toLowerCase(Locale.ROOT);
		if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
			problems.add("input.email", "INVALID_EMAIL", "is not an email address");
		}
		String team = optional(problems, "input.team", input.team(), 100);
		int weight = input.weight() == null ? 1 : input.weight();
		if (weight < 1 || weight > 100) {
			problems.add("input.weight", "OUT_OF_RANGE", "must be between 1 and 100");
		}
		if (input.capacity() != null && (input.capacity() < 1 || input.capacity() > 10_000)) {
			problems.add("input.capacity", "OUT_OF_RANGE", "must be between 1 and 10000");
		}
		Territories territories = territories(problems, input.territories());
		WorkingHours hours = input.workingHours() == null ? null : workingHours(problems, input.workingHours());
		List<OutOfOffice> absences = absences(problems, input.outOfOffice());
		problems.throwIfAny();
		return new RepFields(id, name, email, team, territories, weight, input.capacity(), hours, absences,
				input.active() == null || input.active());
	}

	private static Territories territories(InputProblems problems, @Nullable TerritoriesInput input) {
		if (input == null) {
			return Territories.ANYWHERE;
		}
		List<String> countries = new ArrayList<>();
		List<String> given = input.countries() == null ? List.of() : input.countries();
		for (int i = 0; i < given.size(); i++) {
			String country = given.get(i) == null ? "" : given.get(i).strip().toUpperCase(Locale.ROOT);
			if (!COUNTRY.matcher(country).matches()) {
				problems.add("input.territories.countries[" + i + "]", "INVALID_COUNTRY",
						"must be an ISO 3166-1 alpha-2 code such as DE");
			}
			else if (!countries.contains(country)) {
				countries.add(country);
			}
		}
		var segments = input.segments() == null ? List.<SalesRep.Segment>of()
				: input.segments().stream().filter(Objects::nonNull).distinct().toList();
		return new Territories(countries, segments);
	}

	private static @Nullable WorkingHours workingHours(InputProblems problems, WorkingHoursInput input) {
		String zone = input.timeZone() == null ? "" : input.timeZone().strip();
		try {
			ZoneId.of(zone);
		}
		catch (DateTimeException unknown) {
			problems.add("input.workingHours.timeZone", "INVALID_TIME_ZONE", "must be an IANA time zone such as Europe/Berlin");
		}
		List<WorkingPeriod> periods = input.periods() == null ? List.of() : input.periods();
		if (periods.isEmpty() || periods.size() > 50) {
			problems.add("input.workingHours.periods", periods.isEmpty() ? "REQUIRED" : "TOO_MANY",
					"give 1 to 50 working periods");
		}
		List<WorkingPeriod> valid = new ArrayList<>();
		for (int i = 0; i < periods.size(); i++) {
			WorkingPeriod period = periods.get(i);
			String at = "input.workingHours.periods[" + i + "]";
			if (period == null || period.day() == null) {
				problems.add(at + ".day", "REQUIRED", "a weekday is required");
				continue;
			}
			boolean startOk = clock(problems, at + ".start", period.start()) && !"24:00".equals(period.start());
			boolean endOk = clock(problems, at + ".end", period.end());
			if (startOk && endOk) {
				LocalTime start = LocalTime.parse(period.start());
				LocalTime end = BusinessCalendar.time(period.end());
				if (end != null && !end.isAfter(start)) {
					problems.add(at + ".end", "INVALID_ORDER", "must be after the start");
				}
				else if (valid.stream().anyMatch(other -> overlaps(other, period))) {
					problems.add(at, "OVERLAPPING", "overlaps another period of " + period.day());
				}
				else {
					valid.add(period);
				}
			}
		}
		return new WorkingHours(zone, valid);
	}

	private static boolean clock(InputProblems problems, String at, @Nullable String text) {
		if (text == null || !CLOCK.matcher(text).matches()) {
			problems.add(at, "INVALID_TIME", "must be HH:mm (00:00 to 24:00)");
			return false;
		}
		return true;
	}

	private static boolean overlaps(WorkingPeriod a, WorkingPeriod b) {
		if (a.day() != b.day()) {
			return false;
		}
		return a.start().compareTo(b.end()) < 0 && b.start().compareTo(a.end()) < 0;
	}

	private static List<OutOfOffice> absences(InputProblems problems, @Nullable List<OutOfOfficeInput> input) {
		if (input == null) {
			return List.of();
		}
		if (input.size() > MAX_ABSENCES) {
			problems.add("input.outOfOffice", "TOO_MANY", "at most " + MAX_ABSENCES + " absences");
			return List.of();
		}
		List<OutOfOffice> absences = new ArrayList<>();
		for (int i = 0; i < input.size(); i++) {
			OutOfOfficeInput absence = input.get(i);
			Instant from = absence == null ? null : absence.from();
			Instant to = absence == null ? null : absence.to();
			if (from == null || to == null || !to.isAfter(from)) {
				problems.add("input.outOfOffice[" + i + "]", "INVALID_RANGE", "needs from and a later to");
			}
			else {
				absences.add(new OutOfOffice(from, to));
			}
		}
		return absences;
	}

	/** A rule as input describes it, with its pool checked against the reps that exist. */
	record RuleFields(String id, String name, int position, @Nullable Condition when, List<String> pool,
			RoutingRule.Strategy strategy, Duration responseWindow, boolean reassignOnBreach, boolean active) {
	}

	static RuleFields rule(SaveRoutingRuleInput input, Set<String> knownReps, Duration defaultWindow) {
		var problems = new InputProblems();
		String id = input.id() == null ? "" : input.id().strip();
		if (!RULE_ID.matcher(id).matches()) {
			problems.add("input.id", "INVALID_ID", "a lower-case letter, then up to 63 lower-case letters, digits or -");
		}
		String name = required(problems, "input.name", input.name(), 100);
		if (input.position() < 0 || input.position() > 10_000) {
			problems.add("input.position", "OUT_OF_RANGE", "must be between 0 and 10000");
		}
		Condition when = input.when() == null ? null : LeadConditions.check(input.when(), "input.when", problems);
		List<String> pool = input.pool() == null ? List.of() : input.pool();
		if (pool.isEmpty() || pool.size() > MAX_POOL) {
			problems.add("input.pool", pool.isEmpty() ? "REQUIRED" : "TOO_MANY", "give 1 to " + MAX_POOL + " reps");
		}
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < pool.size(); i++) {
			String rep = pool.get(i);
			if (rep == null || !knownReps.contains(rep)) {
				problems.add("input.pool[" + i + "]", "UNKNOWN_REP", "no sales rep has this id");
			}
			else if (!seen.add(rep)) {
				problems.add("input.pool[" + i + "]", "DUPLICATE_REP", "is already in the pool");
			}
		}
		if (input.strategy() == null) {
			problems.add("input.strategy", "REQUIRED", "a strategy is required");
		}
		Duration window = defaultWindow;
		if (input.responseWindow() != null) {
			try {
				window = Duration.parse(input.responseWindow().strip());
				if (window.compareTo(SHORTEST_WINDOW) < 0 || window.compareTo(LONGEST_WINDOW) > 0) {
					problems.add("input.responseWindow", "OUT_OF_RANGE", "must be between PT1M and P30D");
				}
			}
			catch (DateTimeParseException unreadable) {
				problems.add("input.responseWindow", "INVALID_DURATION", "must be an ISO-8601 duration such as PT5M");
			}
		}
		problems.throwIfAny();
		return new RuleFields(id, name, input.position(), when, List.copyOf(pool), Objects.requireNonNull(input.strategy()),
				window, Boolean.TRUE.equals(input.reassignOnBreach()), input.active() == null || input.active());
	}

	static @Nullable String note(RejectHandoffInput input) {
		var problems = new InputProblems();
		String note = optional(problems, "input.note", input.note(), MAX_NOTE);
		if (note == null && input.reason() == Handoff.RejectionReason.OTHER) {
			problems.add("input.note", "REQUIRED", "say why when the reason is OTHER");
		}
		problems.throwIfAny();
		return note;
	}

	private static String required(InputProblems problems, String at, @Nullable String value, int max) {
		String text = value == null ? "" : value.strip();
		if (text.isEmpty()) {
			problems.add(at, "REQUIRED", "is required");
		}
		problems.maxLength(at, text, max);
		return text;
	}

	private static @Nullable String optional(InputProblems problems, String at, @Nullable String value, int max) {
		String text = value == null ? "" : value.strip();
		problems.maxLength(at, text, max);
		return text.isEmpty() ? null : text;
	}
}
