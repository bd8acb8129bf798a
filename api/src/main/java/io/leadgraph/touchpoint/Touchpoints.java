package io.leadgraph.touchpoint;

import java.util.Collection;
import java.util.List;

import org.springframework.data.mongodb.repository.MongoRepository;

interface Touchpoints extends MongoRepository<Touchpoint, String> {

	List<Touchpoint> findByKeyIn(Collection<String> keys);
}
