package io.leadgraph.scoring;

import java.util.List;
import java.util.Optional;

import org.springframework.data.mongodb.repository.MongoRepository;

interface ScoringPolicies extends MongoRepository<ScoringPolicy, String> {

	Optional<ScoringPolicy> findFirstByPolicyIdOrderByVersionDesc(String policyId);

	List<ScoringPolicy> findByPolicyIdOrderByVersionDesc(String policyId);
}
