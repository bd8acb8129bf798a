package io.leadgraph.touchpoint;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Reads stored touchpoints without the reflective mapping: passes over every touchpoint (re-scoring a
 * million of them) spend most of their time there otherwise.
 */
final class TouchpointDocuments {

	private TouchpointDocuments() {
	}

	static Touchpoint read(Document document) {
		Document campaign = document.get("campaign", Document.class);
		Document properties = document.get("properties", Document.class);
		Map<String, Object> values = properties == null ? Map.of() : new LinkedHashMap<>(properties);
		Object id = document.get("_id");
		return new Touchpoint(id instanceof ObjectId objectId ? objectId.toHexString() : String.valueOf(id),
				document.getString("key"), document.getString("source"), document.getString("externalId"),
				document.getString("leadId"), TouchpointType.valueOf(document.getString("type")),
				Channel.valueOf(document.getString("channel")), Direction.valueOf(document.getString("direction")),
				document.get("occurredAt", Date.class).toInstant(), document.get("recordedAt", Date.class).toInstant(),
				document.getString("recordedBy"),
				campaign == null ? null : new Campaign(campaign.getString("id"), campaign.getString("name")), values);
	}
}
