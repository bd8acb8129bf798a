package io.leadgraph.lead;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.mongodb.repository.MongoRepository;
import org.springframework.data.querydsl.QuerydslPredicateExecutor;

interface Leads extends MongoRepository<Lead, String>, QuerydslPredicateExecutor<Lead> {

	Optional<Lead> findByEmail(String email);

	List<Lead> findByEmailIn(Collection<String> emails);
}
