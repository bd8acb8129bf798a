package io.leadgraph.handoff;

import java.util.Collection;
import java.util.List;

import org.springframework.data.mongodb.repository.MongoRepository;
import org.springframework.data.querydsl.QuerydslPredicateExecutor;

interface Handoffs extends MongoRepository<Handoff, String>, QuerydslPredicateExecutor<Handoff> {

	List<Handoff> findByMqlEventIdIn(Collection<String> mqlEventIds);
}
