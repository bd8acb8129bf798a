package io.leadgraph.scoring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.leadgraph.event.TokenExpiredException;
import io.leadgraph.scoring.ScoringJob.Kind;
import io.leadgraph.scoring.ScoringPayloads.ActivateScoringPolicyPayload;
import io.leadgraph.scoring.ScoringPayloads.ActivationRefusal;
import io.leadgraph.scoring.ScoringPayloads.ScoringPolicyActivated;
import io.leadgraph.scoring.ScoringPayloads.ScoringPolicyActivationRefused;
import io.leadgraph.scoring.ScoringPolicy.ScoringPolicyStatus;
import io.leadgraph.security.Caller;
import io.leadgraph.support.InputProblems;
import io.leadgraph.support.NotFoundException;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** The scoring feature's public face: policies, their activation, re-scoring jobs and ledgers. */
@Service
public class ScoringService {

	private final PolicyStore store;

	private final ScoringJobRunner jobs;

	private final LeadScorer scorer;

	private final ScoringSimulator simulator;

	private final ActivePolicies activePolicies;

	private final MongoTemplate mongo;

	private final java.time.Clock clock;

	ScoringService(PolicyStore store, ScoringJobRunner jobs, LeadScorer scorer, ScoringSimulator simulator,
			ActivePolicies activePolicies, MongoTemplate mongo, java.time.Clock clock) {
		this.store = store;
		this.jobs = jobs;
		this.scorer = scorer;
		this.simulator = simulator;
		this.activePolicies = activePolicies;
		this.mongo = mongo;
		this.clock = clock;
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing')")
	public List<PolicyView> policies(@Nullable String policyId, @Nullable ScoringPolicyStatus status) {
		ActivePolicy active = store.active();
		return store.versions(policyId)
			.stream()
			.map(policy -> PolicyView.of(policy, active))
			.filter(view -> status == null || view.status() == status)
			.toList();
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing')")
	public Optional<PolicyView> policy(String policyId, @Nullable Integer version) {
		return store.version(policyId, version).map(policy -> PolicyView.of(policy, store.active()));
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing')")
	public PolicyView save(@Nullable String policyId, PolicyDocument document) {
		return saved(policyId, PolicyValidation.check(document, "input.policy"));
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing')")
	public PolicyView importYaml(@Nullable String policyId, String yaml) {
		return saved(policyId, PolicyValidation.check(PolicyYaml.read(yaml, "yaml"), "yaml"));
	}

	/**
	 * Makes a version the one that scores leads: freezes it, switches the active pointer to it
	 * (archiving the previous version) and queues the pass that scores every lead under it.
	 */
	@PreAuthorize("hasAnyRole('admin', 'marketing')")
	public ActivateScoringPolicyPayload activate(String policyId, int version) {
		ScoringPolicy target = store.version(policyId, version)
			.orElseThrow(() -> new NotFoundException("Scoring policy", ScoringPolicy.key(policyId, version)));
		ActivePolicy current = store.active();
		String actor = Caller.current().actor();
		if (current != null && current.key().equals(target.key())) {
			if (newestPassFailed(target)) {
				ScoringJob job = jobs.enqueue(Kind.ACTIVATION, policyId, version, actor);
				return new ScoringPolicyActivated(PolicyView.of(target, current), null, job);
			}
			return new ScoringPolicyActivationRefused(ActivationRefusal.ALREADY_ACTIVE,
					"Version " + version + " of " + policyId + " is already active", PolicyView.of(target, current));
		}
		Instant now = clock.instant();
		store.freeze(target, now);
		store.switchTo(target, current, actor, now);
		ScoringJob job = jobs.enqueue(Kind.ACTIVATION, policyId, version, actor);
		ActivePolicy active = store.active();
		PolicyView previous = current == null ? null
				: store.version(current.policyId(), current.version()).map(policy -> PolicyView.of(policy, active)).orElse(null);
		return new ScoringPolicyActivated(store.version(policyId, version).map(policy -> PolicyView.of(policy, active))
			.orElseThrow(), previous, job);
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing')")
	public Optional<ScoringJob> job(String id) {
		return Optional.ofNullable(mongo.findById(id, ScoringJob.class));
	}

	/**
	 * A job's state now, then each change of status or progress, ending after it finished. The
	 * caller is checked once, here; the polls that follow run on a timer thread.
	 */
	@PreAuthorize("hasAnyRole('admin', 'marketing')")
	public Flux<ScoringJob> followJob(String id, Duration poll) {
		ScoringJob first = mongo.findById(id, ScoringJob.class);
		if (first == null) {
			throw new NotFoundException("Scoring job", id);
		}
		Flux<ScoringJob> states = Flux
			.concat(Flux.just(first), Flux.interval(poll)
				.onBackpressureDrop()
				.concatMap(tick -> Mono.fromCallable(() -> mongo.findById(id, ScoringJob.class))
					.switchIfEmpty(Mono.error(() -> new NotFoundException("Scoring job", id)))
					.subscribeOn(Schedulers.boundedElastic())))
			.distinctUntilChanged(job -> List.of(job.status(), job.processed()))
			.takeUntil(job -> job.status().finished());
		Instant expiresAt = Caller.tokenExpiresAt();
		if (expiresAt == null) {
			return states;
		}
		// like leadEvents: the stream ends with TOKEN_EXPIRED when the token does, unless the job ended first
		var expired = new AtomicBoolean();
		Mono<Long> expiry = Mono.delay(Duration.between(clock.instant(), expiresAt).isNegative() ? Duration.ZERO
				: Duration.between(clock.instant(), expiresAt)).doOnNext(tick -> expired.set(true));
		return states.takeUntilOther(expiry)
			.concatWith(Flux.defer(() -> expired.get() ? Flux.error(new TokenExpiredException()) : Flux.empty()));
	}

	/** The newest jobs first. */
	@PreAuthorize("hasAnyRole('admin', 'marketing')")
	public List<ScoringJob> jobs(int first) {
		return mongo.find(new Query().with(Sort.by(Sort.Direction.DESC, "createdAt")).limit(first), ScoringJob.class);
	}

	/**
	 * A dry run of a policy (given inline, or a saved version) over every lead in the window: see
	 * {@link ScoringSimulator}. Writes nothing.
	 */
	@PreAuthorize("hasAnyRole('admin', 'marketing')")
	public ScoringSimulation simulate(@Nullable PolicyDocument inline, @Nullable String policyId,
			@Nullable Integer version, @Nullable Instant from, @Nullable Instant to, @Nullable Integer sample) {
		var problems = new InputProblems();
		if ((inline == null) == (policyId == null)) {
			problems.add("input.policy", "CONFLICTING_ARGUMENTS", "give either policy or draft, not both or neither");
		}
		Instant end = to == null ? clock.instant() : to;
		Instant start = from == null ? end.minus(java.time.Duration.ofDays(90)) : from;
		if (!start.isBefore(end)) {
			problems.add("input.window.from", "INVALID_WINDOW", "must be before to");
		}
		if (sample != null && (sample < 1 || sample > 100)) {
			problems.add("input.sample", "OUT_OF_RANGE", "must be between 1 and 100");
		}
		problems.throwIfAny();
		CompiledPolicy draft;
		Integer draftVersion = null;
		if (inline != null) {
			draft = CompiledPolicy.compile("simulation", 0, PolicyValidation.check(inline, "input.policy"));
		}
		else {
			ScoringPolicy saved = store.version(policyId, version)
				.orElseThrow(() -> new NotFoundException("Scoring policy", policyId + (version == null ? "" : "@" + version)));
			draft = CompiledPolicy.compile(saved.policyId(), saved.version(), saved.document());
			draftVersion = saved.version();
		}
		return simulator.simulate(draft, activePolicies.current(), draftVersion, inline != null, start, end,
				sample == null ? 20 : sample);
	}

	/** The ledgers of these leads, by lead id; leads no policy scored yet are left out. */
	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public java.util.Map<String, LeadLedger> ledgers(java.util.Collection<String> leadIds) {
		return scorer.ledgers(leadIds);
	}

	/** Whether the newest scoring pass is this version's and failed: activating it again runs a new one. */
	private boolean newestPassFailed(ScoringPolicy version) {
		List<ScoringJob> newest = jobs(1);
		return !newest.isEmpty() && newest.getFirst().policyKey().equals(version.key())
				&& newest.getFirst().status() == ScoringJob.Status.FAILED;
	}

	private PolicyView saved(@Nullable String policyId, PolicyDocument valid) {
		return PolicyView.of(store.saveDraft(policyId, valid, Caller.current().actor()), store.active());
	}

	/**
	 * Whether the active policy resets a lead's engagement when sales rejects its handoff (with no
	 * active policy there is no score to reset).
	 */
	@PreAuthorize("isAuthenticated()")
	public boolean resetsEngagementOnRejection() {
		CompiledPolicy active = activePolicies.current();
		return active != null && active.document().resetsEngagementOnRejection();
	}
}
