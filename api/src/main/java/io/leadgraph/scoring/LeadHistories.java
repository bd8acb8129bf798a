package io.leadgraph.scoring;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadService;
import io.leadgraph.scoring.Facts.TouchFacts;
import io.leadgraph.touchpoint.Touchpoint;
import io.leadgraph.touchpoint.TouchpointService;

import org.springframework.stereotype.Component;

/**
 * Every lead with its touchpoints, as one streaming merge of two sorted reads (leads by id,
 * touchpoints by lead id) that indexes serve: what passes over all leads (re-scoring, simulation)
 * read instead of a query per lead.
 */
@Component
class LeadHistories {

	private final LeadService leads;

	private final TouchpointService touchpoints;

	LeadHistories(LeadService leads, TouchpointService touchpoints) {
		this.leads = leads;
		this.touchpoints = touchpoints;
	}

	/** A lead and everything it did. */
	record LeadHistory(Lead lead, List<TouchFacts> touches) {
	}

	/** The leads after the given id, in id order, each with its touchpoints; close it when done. */
	Cursor open(@Nullable String afterLeadId) {
		return new Cursor(leads.streamLeads(afterLeadId), touchpoints.streamByLead(afterLeadId));
	}

	static final class Cursor implements Iterator<LeadHistory>, AutoCloseable {

		private final Stream<Lead> leadStream;

		private final Stream<Touchpoint> touchStream;

		private final Iterator<Lead> leads;

		private final Iterator<Touchpoint> touches;

		private @Nullable Touchpoint nextTouch;

		Cursor(Stream<Lead> leadStream, Stream<Touchpoint> touchStream) {
			this.leadStream = leadStream;
			this.touchStream = touchStream;
			this.leads = leadStream.iterator();
			this.touches = touchStream.iterator();
			this.nextTouch = touches.hasNext() ? touches.next() : null;
		}

		@Override
		public boolean hasNext() {
			return leads.hasNext();
		}

		@Override
		public LeadHistory next() {
			if (!leads.hasNext()) {
				throw new NoSuchElementException();
			}
			Lead lead = leads.next();
			List<TouchFacts> history = new ArrayList<>();
			// touchpoints of leads that no longer exist sort before the next lead and are skipped
			while (nextTouch != null && nextTouch.leadId().compareTo(lead.id()) <= 0) {
				if (nextTouch.leadId().equals(lead.id())) {
					history.add(Facts.TouchFacts.of(nextTouch));
				}
				nextTouch = touches.hasNext() ? touches.next() : null;
			}
			return new LeadHistory(lead, history);
		}

		@Override
		public void close() {
			try (leadStream; touchStream) {
				// both closed
			}
		}
	}
}
