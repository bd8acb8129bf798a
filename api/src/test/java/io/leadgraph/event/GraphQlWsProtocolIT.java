package io.leadgraph.event;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.leadgraph.support.IntegrationTest;
import io.leadgraph.support.RawGraphQlSocket;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * graphql-ws protocol behaviour at the edges, with a raw WebSocket: what a misbehaving or
 * unauthenticated client gets is the close code the protocol prescribes.
 */
@TestPropertySource(properties = "spring.graphql.websocket.connection-init-timeout=3s")
@ExtendWith(OutputCaptureExtension.class)
class GraphQlWsProtocolIT extends IntegrationTest {

	/**
	 * What Spring GraphQL logs, with a stack trace, when it reads such a frame itself. (Not any ERROR:
	 * it also logs one when a subscription of a socket closed by another test signals late.)
	 */
	private static final String[] FRAME_FAILURES = { "HttpMessageNotReadableException", "ClassCastException",
			"ServerWebInputException", "does not have a type", "requires a payload" };

	private static final String SUBSCRIBE = """
			{"id":"1","type":"subscribe","payload":{"query":"subscription { leadEvents { eventId } }"}}""";

	@Test
	void aClientThatNeverInitialisesIsClosedWith4408() throws Exception {
		RawGraphQlSocket socket = RawGraphQlSocket.open(port);
		assertThat(socket.closeCode()).isEqualTo(4408);
	}

	@Test
	void subscribingBeforeTheAcknowledgementIsClosedWith4401() throws Exception {
		RawGraphQlSocket socket = RawGraphQlSocket.open(port);
		socket.send(SUBSCRIBE);
		assertThat(socket.closeCode()).isEqualTo(4401);
	}

	@Test
	void anInitWithoutTokenIsRefusedWith4403() throws Exception {
		RawGraphQlSocket socket = RawGraphQlSocket.open(port);
		socket.send(RawGraphQlSocket.INIT_WITHOUT_TOKEN);
		assertThat(socket.closeCode()).isEqualTo(4403);
	}

	@Test
	void anInitWithANullBlankOrInvalidTokenIsRefusedWith4403() throws Exception {
		for (String authorization : new String[] { "null", "\"\"", "42", "\"Basic ZGVtbzpkZW1v\"", "\"Bearer not-a-jwt\"" }) {
			RawGraphQlSocket socket = RawGraphQlSocket.open(port);
			socket.send("{\"type\":\"connection_init\",\"payload\":{\"Authorization\":" + authorization + "}}");
			assertThat(socket.closeCode()).as(authorization).isEqualTo(4403);
		}
	}

	@Test
	void aSecondInitIsClosedWith4429() throws Exception {
		RawGraphQlSocket socket = RawGraphQlSocket.initialised(port, token("demo-sales"));
		socket.send(RawGraphQlSocket.connectionInit(token("demo-sales")));
		assertThat(socket.closeCode()).isEqualTo(4429);
	}

	@Test
	void aFrameThatIsNotAClientMessageIsClosedWith4400EvenBeforeTheInitAndLogsNothing(CapturedOutput output)
			throws Exception {
		for (String frame : new String[] { "{\"type\":", "{\"type\":\"connection_init\",\"payload\":\"x\"}" }) {
			RawGraphQlSocket socket = RawGraphQlSocket.open(port);
			socket.send(frame);
			assertThat(socket.closeCode()).as(frame).isEqualTo(4400);
		}
		assertThat(output.getAll()).doesNotContain(FRAME_FAILURES);
	}

	@Test
	void aFrameThatIsNotAClientMessageIsClosedWith4400(CapturedOutput output) throws Exception {
		for (String frame : new String[] { "not json", "{\"type\":\"nonsense\"}", "{\"payload\":{}}", "[]",
				"{\"type\":42}", "{\"type\":\"ping\",\"payload\":[]}", "{\"type\":\"complete\"}",
				"{\"type\":\"next\",\"id\":\"1\",\"payload\":{}}", "{\"id\":\"1\",\"type\":\"subscribe\"}",
				"{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{}}",
				"{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":42}}",
				"{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ __typename }\",\"variables\":[]}}",
				"{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ __typename }\",\"operationName\":{}}}",
				"{\"type\":\"subscribe\",\"payload\":{\"query\":\"{ __typename }\"}}" }) {
			RawGraphQlSocket socket = RawGraphQlSocket.initialised(port, token("demo-sales"));
			socket.send(frame);
			assertThat(socket.closeCode()).as(frame).isEqualTo(4400);
		}
		assertThat(output.getAll()).doesNotContain(FRAME_FAILURES);
	}

	@Test
	void theAuthorizationKeyMayBeWrittenInAnyCase() throws Exception {
		RawGraphQlSocket socket = RawGraphQlSocket.open(port);
		socket.send("{\"type\":\"connection_init\",\"payload\":{\"authorization\":\"Bearer " + token("demo-sales") + "\"}}");
		assertThat(socket.nextMessage()).contains("\"connection_ack\"");
		socket.send("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ leads(first: 1) { edges { cursor } } }\"}}");
		assertThat(socket.nextMessage()).contains("\"next\"", "edges").doesNotContain("errors");
	}

	@Test
	void aClientOfferingTheLegacySubprotocolFirstGetsGraphQlTransportWs() throws Exception {
		RawGraphQlSocket socket = RawGraphQlSocket.open(port, List.of("graphql-ws", "graphql-transport-ws"));
		socket.send(RawGraphQlSocket.connectionInit(token("demo-sales")));
		assertThat(socket.nextMessage()).contains("\"connection_ack\"");
	}

	@Test
	void aSocketWithoutTheGraphQlTransportWsSubprotocolIsClosedWith4406() throws Exception {
		for (List<String> subprotocols : List.of(List.<String>of(), List.of("graphql-ws"))) {
			RawGraphQlSocket socket = RawGraphQlSocket.open(port, subprotocols);
			assertThat(socket.closeCode()).as(subprotocols.toString()).isEqualTo(4406);
		}
	}

	@Test
	void aSecondSubscriptionUnderALiveIdIsClosedWith4409() throws Exception {
		RawGraphQlSocket socket = RawGraphQlSocket.initialised(port, token("demo-sales"));
		socket.send(SUBSCRIBE);
		socket.send(SUBSCRIBE);
		assertThat(socket.closeCode()).isEqualTo(4409);
	}
}
