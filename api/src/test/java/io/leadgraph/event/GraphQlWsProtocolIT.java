package io.leadgraph.event;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

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

	/** A bare WebSocket (Tomcat's JSR-356 client) speaking the graphql-transport-ws subprotocol. */
	private static final class RawSocket extends Endpoint {

		private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

		private final CompletableFuture<Integer> closed = new CompletableFuture<>();

		private Session session;

		static RawSocket open(int port) throws Exception {
			var socket = new RawSocket();
			var config = ClientEndpointConfig.Builder.create().preferredSubprotocols(List.of("graphql-transport-ws")).build();
			socket.session = ContainerProvider.getWebSocketContainer()
				.connectToServer(socket, config, URI.create("ws://localhost:" + port + "/graphql"));
			return socket;
		}

		void send(String text) throws Exception {
			session.getBasicRemote().sendText(text);
		}

		String nextMessage() throws InterruptedException {
			return messages.poll(5, TimeUnit.SECONDS);
		}

		int closeCode() throws Exception {
			return closed.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			session.addMessageHandler(String.class, messages::add);
		}

		@Override
		public void onClose(Session session, CloseReason reason) {
			closed.complete(reason.getCloseCode().getCode());
		}

		@Override
		public void onError(Session session, Throwable error) {
			closed.completeExceptionally(new IllegalStateException("socket failed instead of closing; received " + messages, error));
		}
	}
}
