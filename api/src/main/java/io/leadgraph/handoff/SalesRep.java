package io.leadgraph.handoff;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A sales rep leads are routed to. Admins manage every field but {@code openHandoffs}, which routing
 * and decisions keep with atomic increments (so a rep's capacity holds under concurrent routing).
 *
 * @param id the rep's identity at the identity provider (the token subject), so a rep's token acts
 * on their handoffs
 * @param weight share of WEIGHTED routing (1–100)
 * @param capacity the most PENDING handoffs at once; null for no limit
 * @param workingHours when the SLA clock runs; null for around the clock
 * @param openHandoffs PENDING handoffs now
 */
@Document("sales_reps")
public record SalesRep(@Id String id, String name, String email, @Nullable String team, Territories territories,
		int weight, @Nullable Integer capacity, @Nullable WorkingHours workingHours, List<OutOfOffice> outOfOffice,
		boolean active, int openHandoffs, Instant createdAt, Instant updatedAt) {

	public SalesRep {
		territories = territories == null ? Territories.ANYWHERE : territories;
		outOfOffice = outOfOffice == null ? List.of() : List.copyOf(outOfOffice);
	}

	SalesRep withOneMoreOpen() {
		return new SalesRep(id, name, email, team, territories, weight, capacity, workingHours, outOfOffice, active,
				openHandoffs + 1, createdAt, updatedAt);
	}

	boolean outOfOfficeAt(Instant instant) {
		return outOfOffice.stream().anyMatch(range -> range.covers(instant));
	}

	boolean atCapacity() {
		return capacity != null && openHandoffs >= capacity;
	}

	BusinessCalendar calendar() {
		return BusinessCalendar.of(workingHours, outOfOffice);
	}

	/**
	 * Where a rep sells: leads whose company is in one of the countries (ISO codes) and one of the
	 * segments. An empty list means anywhere; a lead with no known country or size matches only reps
	 * without that restriction.
	 */
	public record Territories(List<String> countries, List<Segment> segments) {

		static final Territories ANYWHERE = new Territories(List.of(), List.of());

		public Territories {
			countries = countries == null ? List.of() : List.copyOf(countries);
			segments = segments == null ? List.of() : List.copyOf(segments);
		}

		boolean covers(@Nullable String country, @Nullable Integer employees) {
			return (countries.isEmpty() || (country != null && countries.contains(country)))
					&& (segments.isEmpty() || (employees != null && segments.contains(Segment.of(employees))));
		}
	}

	/** Company size bands by employees. */
	public enum Segment {

		/** Fewer than 100 employees. */
		SMB,
		/** 100 to 999 employees. */
		MID_MARKET,
		/** 1,000 employees or more. */
		ENTERPRISE;

		static Segment of(int employees) {
			return employees < 100 ? SMB : employees < 1000 ? MID_MARKET : ENTERPRISE;
		}
	}

	/**
	 * Weekly working hours in a time zone.
	 *
	 * @param timeZone an IANA zone id, e.g. {@code Europe/Berlin}
	 */
	public record WorkingHours(String timeZone, List<WorkingPeriod> periods) {
	}

	/**
	 * One working period of a weekday, local time.
	 *
	 * @param start {@code HH:mm}
	 * @param end {@code HH:mm} after start, or {@code 24:00}
	 */
	public record WorkingPeriod(java.time.DayOfWeek day, String start, String end) {
	}

	/** An absence, {@code from} inclusive, {@code to} exclusive. */
	public record OutOfOffice(Instant from, Instant to) {

		boolean covers(Instant instant) {
			return !instant.isBefore(from) && instant.isBefore(to);
		}
	}
}
