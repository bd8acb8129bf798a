package io.leadgraph.lead;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.mongodb.repository.MongoRepository;
import org.springframework.data.querydsl.QuerydslPredicateExecutor;

interface Leads extends MongoRepository<Lead, String>, QuerydslPredicateExecutor<Lead> {

	Optional<Lead> findByEmail(String email);

	List<Lead> findByEmailIn(Collection<String> emails);

	List<LeadKey> findKeysByIdIn(Collection<String> ids);

	List<LeadKey> findKeysByEmailIn(Collection<String> emails);

	/** A lead's identity alone: what bulk references need, without reading whole leads. */
	record LeadKey(String id, String email) {
	}
}
