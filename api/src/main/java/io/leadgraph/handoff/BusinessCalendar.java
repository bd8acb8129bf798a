package io.leadgraph.handoff;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.leadgraph.handoff.SalesRep.OutOfOffice;
import io.leadgraph.handoff.SalesRep.WorkingHours;
import io.leadgraph.handoff.SalesRep.WorkingPeriod;

/**
 * A rep's working time: weekly periods in their time zone (around the clock when none are given),
 * less out-of-office ranges. SLA clocks count only this time, so a lead assigned after hours on a
 * Friday is due on Monday.
 */
final class BusinessCalendar {

	/** How far ahead a clock looks for working time before giving up (a rep away for over a year). */
	private static final int HORIZON_DAYS = 400;

	private final ZoneId zone;

	private final Map<DayOfWeek, List<LocalTime[]>> week;

	private final List<OutOfOffice> away;

	private BusinessCalendar(ZoneId zone, Map<DayOfWeek, List<LocalTime[]>> week, List<OutOfOffice> away) {
		this.zone = zone;
		this.week = week;
		this.away = away.stream().sorted(Comparator.comparing(OutOfOffice::from)).toList();
	}

	/** {@code 24:00} (the end of a day) reads as null. */
	static @Nullable LocalTime time(String text) {
		return "24:00".equals(text) ? null : LocalTime.parse(text);
	}

	static BusinessCalendar of(@Nullable WorkingHours hours, List<OutOfOffice> away) {
		Map<DayOfWeek, List<LocalTime[]>> week = new EnumMap<>(DayOfWeek.class);
		if (hours == null) {
			for (DayOfWeek day : DayOfWeek.values()) {
				week.put(day, List.<LocalTime[]>of(new LocalTime[] { LocalTime.MIDNIGHT, null }));
			}
			return new BusinessCalendar(ZoneOffset.UTC, week, away);
		}
		for (WorkingPeriod period : hours.periods()) {
			week.computeIfAbsent(period.day(), day -> new ArrayList<>())
				.add(new LocalTime[] { time(period.start()), time(period.end()) });
		}
		week.values().forEach(periods -> periods.sort(Comparator.comparing(period -> period[0])));
		return new BusinessCalendar(ZoneId.of(hours.timeZone()), week, away);
	}

	/** The instant when {@code work} of working time has passed after {@code start}. */
	Instant plus(Instant start, Duration work) {
		Duration left = work;
		for (Instant[] open : openAfter(start)) {
			Duration available = Duration.between(open[0], open[1]);
			if (available.compareTo(left) >= 0) {
				return open[0].plus(left);
			}
			left = left.minus(available);
		}
		// nobody works within the horizon: count plain time rather than never
		return start.plus(work);
	}

	/** Working time between two instants (zero when {@code to} is not after {@code from}). */
	Duration between(Instant from, Instant to) {
		Duration sum = Duration.ZERO;
		for (Instant[] open : openAfter(from)) {
			if (!open[0].isBefore(to)) {
				break;
			}
			sum = sum.plus(Duration.between(open[0], open[1].isAfter(to) ? to : open[1]));
		}
		return sum;
	}

	/** Working ranges from {@code start} on, in order, clipped to start, less absences. */
	private Iterable<Instant[]> openAfter(Instant start) {
		return () -> new java.util.Iterator<>() {

			private LocalDate day = start.atZone(zone).toLocalDate();

			private final LocalDate last = day.plusDays(HORIZON_DAYS);

			private final java.util.ArrayDeque<Instant[]> ready = new java.util.ArrayDeque<>();

			@Override
			public boolean hasNext() {
				while (ready.isEmpty() && !day.isAfter(last)) {
					for (LocalTime[] period : week.getOrDefault(day.getDayOfWeek(), List.of())) {
						Instant from = day.atTime(period[0]).atZone(zone).toInstant();
						Instant to = period[1] == null ? day.plusDays(1).atStartOfDay(zone).toInstant()
								: day.atTime(period[1]).atZone(zone).toInstant();
						if (from.isBefore(start)) {
							from = start;
						}
						if (from.isBefore(to)) {
							present(from, to).forEach(ready::add);
						}
					}
					day = day.plusDays(1);
				}
				return !ready.isEmpty();
			}

			@Override
			public Instant[] next() {
				if (!hasNext()) {
					throw new java.util.NoSuchElementException();
				}
				return ready.poll();
			}
		};
	}

	/** The parts of {@code [from, to)} outside every absence. */
	private List<Instant[]> present(Instant from, Instant to) {
		List<Instant[]> parts = new ArrayList<>();
		Instant cursor = from;
		for (OutOfOffice absence : away) {
			if (!absence.to().isAfter(cursor) || !absence.from().isBefore(to)) {
				continue;
			}
			if (absence.from().isAfter(cursor)) {
				parts.add(new Instant[] { cursor, absence.from() });
			}
			cursor = absence.to();
			if (!cursor.isBefore(to)) {
				return parts;
			}
		}
		parts.add(new Instant[] { cursor, to });
		return parts;
	}
}
