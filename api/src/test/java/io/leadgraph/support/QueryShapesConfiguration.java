package io.leadgraph.support;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.convert.QueryMapper;
import org.springframework.data.mongodb.core.index.IndexResolver;
import org.springframework.data.mongodb.core.mapping.Document;

/** Records every command the tests send to MongoDB and declares the aggregates' indexes to the check. */
@TestConfiguration(proxyBeanMethods = false)
class QueryShapesConfiguration {

	@Bean
	QueryShapes queryShapes() {
		return new QueryShapes();
	}

	@Bean
	SmartInitializingSingleton declareIndexes(QueryShapes shapes, MongoConverter converter) {
		return () -> {
			var mapping = converter.getMappingContext();
			var resolver = IndexResolver.create(mapping);
			var names = new QueryMapper(converter);
			mapping.getPersistentEntities()
				.stream()
				.filter(entity -> entity.isAnnotationPresent(Document.class))
				.forEach(entity -> resolver.resolveIndexFor(entity.getTypeInformation())
					.forEach(index -> shapes.declare(entity.getCollection(),
							names.getMappedSort(index.getIndexKeys(), entity).keySet().iterator().next())));
		};
	}

	@Bean
	MongoClientSettingsBuilderCustomizer recordQueryShapes(QueryShapes shapes) {
		return settings -> settings.addCommandListener(shapes);
	}
}
