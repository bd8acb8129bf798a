package io.leadgraph.event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * graphql-ws protocol behaviour at the edges, with a raw WebSocket: what a misbehaving or
 * unauthenticated client gets is the close code the protocol prescribes.
 */
@TestPropertySource(properties = "spring.graphql.websocket.connection-init-timeout=3s")
class GraphQlWsProtocolIT extends IntegrationTest {

	private static final String INIT_WITHOUT_TOKEN = "{\"type\":\"connection_init\",\"payload\":{}}";

	private static final String SUBSCRIBE = """
			{"id":"1","type":"subscribe","payload":{"query":"subscription { leadEvents { eventId } }"}}""";

	@Test
	void aClientThatNeverInitialisesIsClosedWith4408() throws Exception {
		RawSocket socket = RawSocket.open(port);
		assertThat(socket.closeCode()).isEqualTo(4408);
	}

	@Test
	void subscribingBeforeTheAcknowledgementIsClosedWith4401() throws Exception {
		RawSocket socket = RawSocket.open(port);
		socket.send(SUBSCRIBE);
		assertThat(socket.closeCode()).isEqualTo(4401);
	}

	@Test
	void anInitWithoutTokenIsClosedWith4401() throws Exception {
		RawSocket socket = RawSocket.open(port);
		socket.send(INIT_WITHOUT_TOKEN);
		assertThat(socket.closeCode()).isEqualTo(4401);
	}

	@Test
	void anInitWithANullOrBlankTokenIsClosedWith4401() throws Exception {
		for (String authorization : new String[] { "null", "\"\"", "42" }) {
			RawSocket socket = RawSocket.open(port);
			socket.send("{\"type\":\"connection_init\",\"payload\":{\"Authorization\":" + authorization + "}}");
			assertThat(socket.closeCode()).as(authorization).isEqualTo(4401);
		}
	}

	@Test
	void aSecondInitIsClosedWith4429() throws Exception {
		RawSocket socket = RawSocket.open(port);
		String init = "{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + token("demo-sales") + "\"}}";
		socket.send(init);
		assertThat(socket.nextMessage()).contains("\"connection_ack\"");
		socket.send(init);
		assertThat(socket.closeCode()).isEqualTo(4429);
	}

	/** A bare WebSocket speaking the graphql-transport-ws subprotocol. */
	private static final class RawSocket implements WebSocket.Listener {

		private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

		private final CompletableFuture<Integer> closed = new CompletableFuture<>();

		private WebSocket socket;

		static RawSocket open(int port) throws Exception {
			var listener = new RawSocket();
			listener.socket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.subprotocols("graphql-transport-ws")
				.buildAsync(URI.create("ws://localhost:" + port + "/graphql"), listener)
				.get(5, TimeUnit.SECONDS);
			return listener;
		}

		void send(String text) throws Exception {
			socket.sendText(text, true).get(5, TimeUnit.SECONDS);
		}

		String nextMessage() throws InterruptedException {
			return messages.poll(5, TimeUnit.SECONDS);
		}

		int closeCode() throws Exception {
			return closed.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			messages.add(data.toString());
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			closed.completeExceptionally(new IllegalStateException("socket failed instead of closing; received " + messages, error));
		}
	}
}
