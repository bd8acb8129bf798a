package io.leadgraph.webhook;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.webhook.WebhookDelivery.DeliveryStatus;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class WebhookController {

	private final WebhookService webhooks;

	WebhookController(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	record CreateWebhookEndpointInput(String url, @Nullable List<String> eventTypes, @Nullable Boolean active) {
	}

	record UpdateWebhookEndpointInput(String id, @Nullable String url, @Nullable List<String> eventTypes,
			@Nullable Boolean active) {
	}

	record WebhookEndpointIdInput(String id) {
	}

	record RedeliverWebhookInput(String endpointId, String eventId) {
	}

	/** An endpoint with its secret: only in the answer that made the secret. */
	record WebhookEndpointWithSecret(WebhookEndpoint endpoint, String secret) {

		static WebhookEndpointWithSecret of(WebhookEndpoint endpoint) {
			return new WebhookEndpointWithSecret(endpoint, endpoint.secret());
		}
	}

	@QueryMapping
	List<WebhookEndpoint> webhookEndpoints() {
		return webhooks.endpoints();
	}

	@QueryMapping
	List<WebhookDelivery> webhookDeliveries(@Argument String endpointId, @Argument @Nullable DeliveryStatus status,
			@Argument @Nullable Integer first) {
		return webhooks.deliveries(endpointId, status, first == null ? 50 : first);
	}

	@MutationMapping
	WebhookEndpointWithSecret createWebhookEndpoint(@Argument CreateWebhookEndpointInput input) {
		return WebhookEndpointWithSecret.of(webhooks.create(input.url(), input.eventTypes(), input.active()));
	}

	@MutationMapping
	WebhookEndpoint updateWebhookEndpoint(@Argument UpdateWebhookEndpointInput input) {
		return webhooks.update(input.id(), input.url(), input.eventTypes(), input.active());
	}

	@MutationMapping
	WebhookEndpointWithSecret rotateWebhookSecret(@Argument WebhookEndpointIdInput input) {
		return WebhookEndpointWithSecret.of(webhooks.rotateSecret(input.id()));
	}

	@MutationMapping
	WebhookDelivery redeliverWebhook(@Argument RedeliverWebhookInput input) {
		return webhooks.redeliver(input.endpointId(), input.eventId());
	}
}
