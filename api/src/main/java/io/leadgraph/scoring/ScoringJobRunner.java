package io.leadgraph.scoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.event.EventLog;
import io.leadgraph.lead.LeadService;
import io.leadgraph.scoring.LeadHistories.LeadHistory;
import io.leadgraph.scoring.LeadScorer.Scored;
import io.leadgraph.scoring.ScoringJob.Kind;
import io.leadgraph.scoring.ScoringJob.Status;
import io.leadgraph.security.SystemCaller;
import io.leadgraph.support.WorkerThread;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs scoring jobs, one at a time per instance, each as a single streaming pass: leads in id order
 * merged with touchpoints in lead order (two sorted reads served by indexes), scored in chunks, so
 * the store sees a constant number of operations per chunk and never a query per lead.
 */
@Component
class ScoringJobRunner extends WorkerThread {

	private static final Logger log = LoggerFactory.getLogger(ScoringJobRunner.class);

	static final int CHUNK = 500;

	private static final Duration LEASE = Duration.ofSeconds(30);

	private final String me = UUID.randomUUID().toString();

	private final Semaphore wake = new Semaphore(0);

	private final MongoTemplate mongo;

	private final LeadService leads;

	private final LeadHistories histories;

	private final ActivePolicies policies;

	private final LeadScorer scorer;

	private final EventLog eventLog;

	private final Clock clock;

	private final Duration idlePoll;

	private final Duration refreshInterval;

	ScoringJobRunner(MongoTemplate mongo, LeadService leads, LeadHistories histories, ActivePolicies policies,
			LeadScorer scorer, EventLog eventLog, Clock clock,
			@Value("${leadgraph.scoring.job-poll-interval:5s}") Duration idlePoll,
			@Value("${leadgraph.scoring.refresh-interval:24h}") Duration refreshInterval) {
		super("scoring-jobs");
		this.mongo = mongo;
		this.leads = leads;
		this.histories = histories;
		this.policies = policies;
		this.scorer = scorer;
		this.eventLog = eventLog;
		this.clock = clock;
		this.idlePoll = idlePoll;
		this.refreshInterval = refreshInterval;
	}

	/** Queues a pass over every lead under this version, as of now, and wakes the runner. */
	ScoringJob enqueue(Kind kind, String policyId, int version, String requestedBy) {
		Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
		ScoringJob job = mongo.insert(new ScoringJob(new ObjectId().toHexString(), kind, policyId, version,
				Status.QUEUED, now, 0, 0, 0, 0, null, null, null, requestedBy, now, null, null, null));
		wake.release();
		return job;
	}

	/**
	 * Decay moves scores every day: when the newest pass is older than the refresh interval, a refresh
	 * pass scores every lead again as of now. Checked often, so restarts do not postpone it.
	 */
	@Scheduled(fixedDelayString = "${leadgraph.scoring.refresh-check-interval:10m}",
			initialDelayString = "${leadgraph.scoring.refresh-check-interval:10m}")
	void refreshWhenDue() {
		try {
			List<ScoringJob> newest = mongo.find(
					new Query().with(Sort.by(Sort.Direction.DESC, "createdAt")).limit(1), ScoringJob.class);
			if (newest.isEmpty() || newest.getFirst().createdAt().isBefore(clock.instant().minus(refreshInterval))) {
				scheduleRefresh();
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not check whether scores are due a refresh: {}", ex.toString());
		}
	}

	/** Queues a refresh pass of the active version now, unless a pass is queued or running. */
	void scheduleRefresh() {
		try {
			ActivePolicy active = mongo.findById(ActivePolicy.ID, ActivePolicy.class);
			if (active == null || !eventLog.isWriter() || mongo.exists(
					Query.query(Criteria.where("status").in(Status.QUEUED, Status.RUNNING)), ScoringJob.class)) {
				return;
			}
			enqueue(Kind.REFRESH, active.policyId(), active.version(), "system:scoring");
		}
		catch (RuntimeException ex) {
			log.warn("Could not schedule the scoring refresh: {}", ex.toString());
		}
	}

	@Override
	protected void work() {
		while (running()) {
			try {
				ScoringJob job = claim();
				if (job == null) {
					wake.tryAcquire(idlePoll.toMillis(), TimeUnit.MILLISECONDS);
					continue;
				}
				SystemCaller.runAs("system:scoring", () -> run(job));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				if (running()) {
					log.warn("Scoring job runner failed; retrying: {}", ex.toString());
					sleepQuietly();
				}
			}
		}
	}

	/** The oldest job that is queued, or running under an expired lease (its instance stopped). */
	private @Nullable ScoringJob claim() {
		Instant now = clock.instant();
		Query claimable = Query.query(Criteria.where("status")
			.in(Status.QUEUED, Status.RUNNING)
			.orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)))
			.with(Sort.by("createdAt"));
		return mongo.findAndModify(claimable,
				new Update().set("status", Status.RUNNING).set("owner", me).set("leaseUntil", now.plus(LEASE)),
				FindAndModifyOptions.options().returnNew(true), ScoringJob.class);
	}

	private void run(ScoringJob claimed) {
		ScoringJob job = claimed;
		try {
			if (job.startedAt() == null) {
				long total = leads.countLeads();
				job = update(job, new Update().set("startedAt", clock.instant()).set("total", total));
				if (job == null) {
					return;
				}
			}
			if (!stillActive(job)) {
				finish(job, Status.SUPERSEDED, null);
				return;
			}
			CompiledPolicy policy = policies.compile(job.policyId(), job.policyVersion());
			pass(job, policy);
		}
		catch (RuntimeException ex) {
			log.warn("Scoring job {} failed: {}", job.id(), ex.toString());
			finish(job, Status.FAILED, "The pass stopped on a store error; activate the version again to retry");
		}
	}

	/**
	 * Reads and scores the next chunk while the previous one is written (on a second thread), so
	 * reading and writing overlap; at most one chunk waits.
	 */
	private void pass(ScoringJob start, CompiledPolicy policy) {
		ScoringJob job = start;
		ExecutorService writes = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("scoring-writes").factory());
		Future<@Nullable ScoringJob> writing = null;
		try (LeadHistories.Cursor histories = this.histories.open(job.resumeAfter())) {
			List<Scored> chunk = new ArrayList<>();
			while (histories.hasNext()) {
				LeadHistory history = histories.next();
				List<Match> matches = new ArrayList<>();
				history.touches().forEach(touch -> matches.addAll(policy.matches(touch)));
				chunk.add(new Scored(history.lead(), policy.score(Facts.LeadFacts.of(history.lead()), matches, job.asOf())));
				if (chunk.size() == CHUNK || !histories.hasNext()) {
					if (writing != null && (job = writing.get()) == null) {
						return;
					}
					ScoringJob current = job;
					List<Scored> full = List.copyOf(chunk);
					Supplier<@Nullable ScoringJob> write = () -> writeChunk(current, policy, full);
					writing = writes.submit(() -> SystemCaller.runAs("system:scoring", write));
					chunk.clear();
				}
			}
			if (writing != null && (job = writing.get()) == null) {
				return;
			}
			finish(job, Status.COMPLETED, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			throw ex.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex.getCause());
		}
		finally {
			writes.shutdownNow();
		}
	}

	/** Writes a chunk, records progress and renews the lease; null when the job is no longer ours to run. */
	private @Nullable ScoringJob writeChunk(ScoringJob job, CompiledPolicy policy, List<Scored> chunk) {
		if (!stillActive(job)) {
			finish(job, Status.SUPERSEDED, null);
			return null;
		}
		Map<String, LeadLedger> ledgers = scorer.ledgers(chunk.stream().map(scored -> scored.lead().id()).toList());
		// a lead scored in a request under this version after the pass began has a fresher score; one this
		// pass wrote before a stop (computed as of asOf) is written again, its lead write may be missing
		List<Scored> stale = chunk.stream().filter(scored -> {
			LeadLedger ledger = ledgers.get(scored.lead().id());
			return ledger == null || !ledger.isUnder(policy) || !ledger.computedAt().isAfter(job.asOf());
		}).toList();
		LeadScorer.Outcome outcome = scorer.write(policy, stale, ledgers);
		if (!outcome.lost().isEmpty()) {
			scorer.score(outcome.lost(), List.of(), false);
		}
		String last = chunk.getLast().lead().id();
		return update(job, new Update().set("resumeAfter", last)
			.inc("processed", chunk.size())
			.inc("changed", outcome.changed())
			.inc("qualified", outcome.qualified())
			.set("leaseUntil", clock.instant().plus(LEASE)));
	}

	private boolean stillActive(ScoringJob job) {
		ActivePolicy active = mongo.findById(ActivePolicy.ID, ActivePolicy.class);
		return active != null && active.key().equals(job.policyKey());
	}

	private @Nullable ScoringJob update(ScoringJob job, Update update) {
		return mongo.findAndModify(Query.query(Criteria.where("_id").is(job.id()).and("owner").is(me)), update,
				FindAndModifyOptions.options().returnNew(true), ScoringJob.class);
	}

	private void finish(ScoringJob job, Status status, @Nullable String error) {
		update(job, new Update().set("status", status)
			.set("finishedAt", clock.instant())
			.set("error", error)
			.unset("leaseUntil"));
	}

	private static void sleepQuietly() {
		try {
			Thread.sleep(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
