package io.leadgraph.guard;

import java.util.Map;
import java.util.function.Consumer;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/** GraphQL over HTTP as it travels: status, headers and body, for checks of what the guards answer. */
final class RawPosts {

	static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	private RawPosts() {
	}

	static ResponseEntity<Map<String, Object>> post(int port, String token, String document,
			Map<String, Object> variables) {
		return exchange(port, token, document, variables, headers -> {
		}, MAP);
	}

	static <T> ResponseEntity<T> exchange(int port, String token, String document, Map<String, Object> variables,
			Consumer<HttpHeaders> extraHeaders, ParameterizedTypeReference<T> body) {
		return exchange(port, token, Map.of("query", document, "variables", variables), extraHeaders, body);
	}

	/** Any request body, e.g. with an {@code operationName}. */
	static <T> ResponseEntity<T> exchange(int port, String token, Map<String, Object> requestBody,
			Consumer<HttpHeaders> extraHeaders, ParameterizedTypeReference<T> body) {
		return RestClient.create()
			.post()
			.uri("http://localhost:" + port + "/graphql")
			.headers(headers -> {
				headers.setBearerAuth(token);
				extraHeaders.accept(headers);
			})
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.body(requestBody)
			.exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
				.headers(response.getHeaders())
				.body(response.bodyTo(body)));
	}
}
