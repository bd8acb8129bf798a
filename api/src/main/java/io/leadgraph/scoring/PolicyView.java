package io.leadgraph.scoring;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.scoring.PolicyDocument.EngagementRule;
import io.leadgraph.scoring.PolicyDocument.FitRule;
import io.leadgraph.scoring.PolicyDocument.GradeThresholds;
import io.leadgraph.scoring.PolicyDocument.MqlThreshold;
import io.leadgraph.scoring.ScoringPolicy.ScoringPolicyStatus;

/** A policy version as the API shows it: its content, with the status the active pointer gives it. */
public record PolicyView(String id, int version, ScoringPolicyStatus status, String name, @Nullable String description,
		List<FitRule> fitRules, List<EngagementRule> engagementRules, @Nullable Integer fitMax,
		@Nullable Integer engagementMax, @Nullable Double halfLifeDays, MqlThreshold mqlThreshold,
		GradeThresholds grades, boolean resetEngagementOnRejection, String author, Instant createdAt, Instant updatedAt, @Nullable Instant activatedAt,
		PolicyDocument document) {

	static PolicyView of(ScoringPolicy policy, @Nullable ActivePolicy active) {
		PolicyDocument document = policy.document();
		return new PolicyView(policy.policyId(), policy.version(), policy.status(active), document.name(),
				document.description(), document.fitRules(), document.engagementRules(), document.fitMax(),
				document.engagementMax(), document.halfLifeDays(), document.mqlThreshold(), document.grades(),
				document.resetsEngagementOnRejection(), policy.author(), policy.createdAt(), policy.updatedAt(),
				policy.status(active) == ScoringPolicyStatus.DRAFT ? null : policy.activatedAt(), document);
	}

	public String yaml() {
		return PolicyYaml.write(document);
	}
}
