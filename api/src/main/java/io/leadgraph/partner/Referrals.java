package io.leadgraph.partner;

import org.springframework.data.mongodb.repository.MongoRepository;
import org.springframework.data.querydsl.QuerydslPredicateExecutor;

interface Referrals extends MongoRepository<Referral, String>, QuerydslPredicateExecutor<Referral> {
}
