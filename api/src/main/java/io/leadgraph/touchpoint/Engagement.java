package io.leadgraph.touchpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A summary of a lead's touchpoints; see the SDL ({@code Engagement}) for the warmth rule.
 */
record Engagement(int touchpointCount, @Nullable Instant firstTouchAt, @Nullable Instant lastTouchAt,
		int inboundCount, int outboundCount, int campaignCount, List<TypeCount> byType, List<ChannelCount> byChannel,
		Warmth warmth) {

	enum Warmth {
		COLD, WARM, HOT
	}

	record TypeCount(TouchpointType type, int count) {
	}

	record ChannelCount(Channel channel, int count) {
	}

	static final Duration HOT_WINDOW = Duration.ofDays(7);

	static final Duration WARM_WINDOW = Duration.ofDays(30);

	static final int INTENSE = 5;

	/** Touchpoints of one lead sharing type, channel, direction and campaign. */
	record Group(TouchpointType type, Channel channel, Direction direction, @Nullable String campaignId, int count,
			Instant first, Instant last) {
	}

	static Engagement of(List<Group> groups, Instant now) {
		int total = 0;
		int inbound = 0;
		Instant first = null;
		Instant last = null;
		Instant lastInbound = null;
		Instant lastHighIntent = null;
		Map<TouchpointType, Integer> byType = new EnumMap<>(TouchpointType.class);
		Map<Channel, Integer> byChannel = new EnumMap<>(Channel.class);
		Set<String> campaigns = new HashSet<>();
		for (Group group : groups) {
			total += group.count();
			byType.merge(group.type(), group.count(), Integer::sum);
			byChannel.merge(group.channel(), group.count(), Integer::sum);
			if (group.campaignId() != null) {
				campaigns.add(group.campaignId());
			}
			first = first == null || group.first().isBefore(first) ? group.first() : first;
			last = last == null || group.last().isAfter(last) ? group.last() : last;
			if (group.direction() == Direction.INBOUND) {
				inbound += group.count();
				lastInbound = later(lastInbound, group.last());
				if (TouchpointType.HIGH_INTENT.contains(group.type())) {
					lastHighIntent = later(lastHighIntent, group.last());
				}
			}
		}
		Warmth warmth = Warmth.COLD;
		if (within(lastHighIntent, now, HOT_WINDOW) || (inbound >= INTENSE && within(lastInbound, now, HOT_WINDOW))) {
			warmth = Warmth.HOT;
		}
		else if (within(lastInbound, now, WARM_WINDOW)) {
			warmth = Warmth.WARM;
		}
		return new Engagement(total, first, last, inbound, total - inbound, campaigns.size(),
				byType.entrySet()
					.stream()
					.map(entry -> new TypeCount(entry.getKey(), entry.getValue()))
					.sorted(Comparator.comparingInt(TypeCount::count).reversed())
					.toList(),
				byChannel.entrySet()
					.stream()
					.map(entry -> new ChannelCount(entry.getKey(), entry.getValue()))
					.sorted(Comparator.comparingInt(ChannelCount::count).reversed())
					.toList(),
				warmth);
	}

	private static @Nullable Instant later(@Nullable Instant a, Instant b) {
		return a == null || b.isAfter(a) ? b : a;
	}

	private static boolean within(@Nullable Instant at, Instant now, Duration window) {
		return at != null && !at.isBefore(now.minus(window));
	}
}
