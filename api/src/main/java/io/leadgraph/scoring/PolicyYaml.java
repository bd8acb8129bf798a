package io.leadgraph.scoring;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import io.leadgraph.support.InvalidInputException;

/**
 * Policies as YAML, the same shape as the GraphQL input, so they can live in git and be imported
 * again. Problems name the YAML path; parser messages (which may name Java types) never reach a client.
 */
final class PolicyYaml {

	static final int MAX_LENGTH = 200_000;

	private static final YAMLMapper MAPPER = YAMLMapper.builder()
		.disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
		.enable(YAMLWriteFeature.MINIMIZE_QUOTES)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private PolicyYaml() {
	}

	static String write(PolicyDocument policy) {
		return MAPPER.writeValueAsString(policy);
	}

	/** The policy the YAML describes, not yet validated; {@code at} prefixes problem paths. */
	static PolicyDocument read(String yaml, String at) {
		if (yaml.length() > MAX_LENGTH) {
			throw new InvalidInputException(at, "TOO_LONG", "at most " + MAX_LENGTH + " characters");
		}
		try {
			PolicyDocument policy = MAPPER.readValue(yaml, PolicyDocument.class);
			if (policy == null) {
				throw new InvalidInputException(at, "REQUIRED", "the YAML holds no policy");
			}
			return policy;
		}
		catch (JacksonException ex) {
			boolean syntax = !(ex instanceof DatabindException);
			StringBuilder path = new StringBuilder(at);
			for (JacksonException.Reference reference : syntax ? List.<JacksonException.Reference>of() : ex.getPath()) {
				if (reference.getPropertyName() != null) {
					path.append('.').append(reference.getPropertyName());
				}
				else if (reference.getIndex() >= 0) {
					path.append('[').append(reference.getIndex()).append(']');
				}
			}
			TokenStreamLocation location = ex.getLocation();
			String where = location == null || location.getLineNr() < 0 ? ""
					: " at line " + location.getLineNr() + ", column " + location.getColumnNr();
			throw new InvalidInputException(path.toString(), syntax ? "INVALID_YAML" : "INVALID_VALUE",
					(syntax ? "not a YAML policy" : "unknown field or value of the wrong type") + where);
		}
	}
}
