package io.leadgraph.handoff;

import org.springframework.data.mongodb.repository.MongoRepository;

interface SalesReps extends MongoRepository<SalesRep, String> {
}
