package io.leadgraph.scoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.dataloader.DataLoader;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import io.leadgraph.lead.Lead;
import io.leadgraph.scoring.ScoringPayloads.ActivateScoringPolicyPayload;
import io.leadgraph.scoring.ScoringPolicy.ScoringPolicyStatus;
import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.Pages;

import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;

@Controller
class ScoringController {

	private static final Duration JOB_POLL = Duration.ofMillis(500);

	private final ScoringService scoring;

	private static final String ENTRY = "entry";

	private final Pages pages;

	ScoringController(ScoringService scoring, Pages pages, BatchLoaderRegistry loaders) {
		this.scoring = scoring;
		this.pages = pages;
		// the ledgers of a whole page of leads in one read
		loaders.<String, LeadLedger>forName("scoreLedgers")
			.registerMappedBatchLoader((leadIds, env) -> reactor.core.publisher.Mono
				.fromCallable(() -> scoring.ledgers(leadIds)));
	}

	private static int count(@Nullable Integer first, int otherwise) {
		if (first != null && (first < 1 || first > 100)) {
			throw new InvalidInputException("first", "OUT_OF_RANGE", "must be between 1 and 100");
		}
		return first == null ? otherwise : first;
	}

	/** The index of the ledger entry a cursor names. */
	private int offset(String after) {
		if (pages.keys("after", after).get(ENTRY) instanceof Number index && index.longValue() >= 0
				&& index.longValue() < Integer.MAX_VALUE) {
			return index.intValue();
		}
		throw new InvalidInputException("after", "INVALID_CURSOR", "is not a cursor this list gave out");
	}

	record SaveScoringPolicyInput(@Nullable String id, PolicyDocument policy) {
	}

	record ImportScoringPolicyInput(@Nullable String id, String yaml) {
	}

	record ActivateScoringPolicyInput(String id, int version) {
	}

	record SaveScoringPolicyPayload(PolicyView policy) {
	}

	record PolicyVersionInput(String id, @Nullable Integer version) {
	}

	record TimeWindowInput(@Nullable Instant from, @Nullable Instant to) {
	}

	record SimulateScoringPolicyInput(@Nullable PolicyDocument policy, @Nullable PolicyVersionInput draft,
			@Nullable TimeWindowInput window, @Nullable Integer sample) {
	}

	@QueryMapping
	List<PolicyView> scoringPolicies(@Argument @Nullable String id, @Argument @Nullable ScoringPolicyStatus status) {
		return scoring.policies(id, status);
	}

	@QueryMapping
	@Nullable PolicyView scoringPolicy(@Argument String id, @Argument @Nullable Integer version) {
		return scoring.policy(id, version).orElse(null);
	}

	@QueryMapping
	@Nullable ScoringJob scoringJob(@Argument String id) {
		return scoring.job(id).orElse(null);
	}

	@QueryMapping
	List<ScoringJob> scoringJobs(@Argument @Nullable Integer first) {
		return scoring.jobs(count(first, 20));
	}

	@MutationMapping
	SaveScoringPolicyPayload saveScoringPolicy(@Argument SaveScoringPolicyInput input) {
		return new SaveScoringPolicyPayload(scoring.save(input.id(), input.policy()));
	}

	@MutationMapping
	SaveScoringPolicyPayload importScoringPolicy(@Argument ImportScoringPolicyInput input) {
		return new SaveScoringPolicyPayload(scoring.importYaml(input.id(), input.yaml()));
	}

	@MutationMapping
	ActivateScoringPolicyPayload activateScoringPolicy(@Argument ActivateScoringPolicyInput input) {
		return scoring.activate(input.id(), input.version());
	}

	@MutationMapping
	ScoringSimulation simulateScoringPolicy(@Argument SimulateScoringPolicyInput input) {
		PolicyVersionInput draft = input.draft();
		TimeWindowInput window = input.window();
		return scoring.simulate(input.policy(), draft == null ? null : draft.id(), draft == null ? null : draft.version(),
				window == null ? null : window.from(), window == null ? null : window.to(), input.sample());
	}

	@SubscriptionMapping("scoringJob")
	Flux<ScoringJob> followScoringJob(@Argument String id) {
		return scoring.followJob(id, JOB_POLL);
	}

	@SchemaMapping(typeName = "EngagementRule")
	boolean decays(PolicyDocument.EngagementRule rule) {
		return rule.decaying();
	}

	@SchemaMapping(typeName = "Lead")
	CompletableFuture<Window<LedgerEntryView>> scoreLedger(Lead lead, @Argument @Nullable Integer first,
			@Argument @Nullable String after, DataLoader<String, LeadLedger> scoreLedgers) {
		int size = count(first, 20);
		int start = after == null ? 0 : offset(after) + 1;
		return scoreLedgers.load(lead.id()).thenApply(ledger -> {
			List<LedgerEntryView> entries = new ArrayList<>();
			if (ledger != null) {
				ledger.entries().forEach(entry -> entries.add(LedgerEntryView.of(ledger, entry)));
			}
			int from = Math.min(start, entries.size());
			int to = Math.min(from + size, entries.size());
			return Window.from(entries.subList(from, to), index -> ScrollPosition.forward(Map.of(ENTRY, from + index)),
					to < entries.size());
		});
	}

}
