package io.leadgraph.support;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bare WebSocket (Tomcat's JSR-356 client) speaking the graphql-transport-ws subprotocol frame by
 * frame, for the protocol's edges: what the server sends and the code it closes with. (The JDK's
 * client sometimes reports a 4xxx close as 1006.)
 */
public final class RawGraphQlSocket extends Endpoint {

	public static final String INIT_WITHOUT_TOKEN = "{\"type\":\"connection_init\",\"payload\":{}}";

	private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private Session session;

	private RawGraphQlSocket() {
	}

	public static RawGraphQlSocket open(int port) throws Exception {
		return open(port, List.of("graphql-transport-ws"));
	}

	/** A socket asking for these subprotocols. */
	public static RawGraphQlSocket open(int port, List<String> subprotocols) throws Exception {
		var socket = new RawGraphQlSocket();
		var config = ClientEndpointConfig.Builder.create().preferredSubprotocols(subprotocols).build();
		socket.session = ContainerProvider.getWebSocketContainer()
			.connectToServer(socket, config, URI.create("ws://localhost:" + port + "/graphql"));
		return socket;
	}

	/** Opens a socket and initialises it with the token; fails unless the server acknowledges. */
	public static RawGraphQlSocket initialised(int port, String token) throws Exception {
		RawGraphQlSocket socket = open(port);
		socket.send(connectionInit(token));
		assertThat(socket.nextMessage()).contains("\"connection_ack\"");
		return socket;
	}

	public static String connectionInit(String token) {
		return "{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + token + "\"}}";
	}

	public void send(String text) throws Exception {
		session.getBasicRemote().sendText(text);
	}

	/** The next frame the server sent, waiting up to 5 s; null when none came. */
	public String nextMessage() throws InterruptedException {
		return messages.poll(5, TimeUnit.SECONDS);
	}

	/** The frames received and not yet taken by {@link #nextMessage()}. */
	public List<String> received() {
		return List.copyOf(messages);
	}

	/** The code the server closed the socket with, waiting up to {@code wait}. */
	public int closeCode(Duration wait) throws Exception {
		return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
	}

	public int closeCode() throws Exception {
		return closeCode(Duration.ofSeconds(10));
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
